//! Single sign-on for staff (domain only, no IO): who someone is at the municipality's identity
//! provider, and which role that gives them here.
//!
//! A staff member who logs in through OpenID Connect is an account like any other, keyed by the
//! provider's issuer and the subject it gives the person ([`SsoIdentity`]): its name is derived from
//! those two ([`SsoIdentity::user_name`]), so the same person always lands on the same account and
//! two providers can never share one. The role is not kept from one login to the next: every login
//! reads it again from the groups the identity provider says the person is in, through the mapping in
//! the configuration ([`RoleMapping`], `oidc-role = ["GROUP=ROLE", "GROUP=provider:ID"]`). Someone in
//! no mapped group gets no role and is refused.

use sha2::{Digest, Sha256};

use crate::accounts::{Role, RoleKind};
use crate::ids::{ProviderId, UserName};

/// Who someone is at an identity provider: its issuer URL and the subject (`sub`) it gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoIdentity {
    pub issuer: String,
    pub subject: String,
}

impl SsoIdentity {
    /// The account name for this person: `sso-` and the first 16 hex digits of the SHA-256 of issuer
    /// and subject. Stable, the same at every login, and free of anything that names the person.
    pub fn user_name(&self) -> UserName {
        let mut hash = Sha256::new();
        hash.update(self.issuer.as_bytes());
        hash.update([0]);
        hash.update(self.subject.as_bytes());
        let digest = hash.finalize();
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        UserName::parse(&format!("sso-{hex}")).expect("sso- and hex digits make a valid name")
    }
}

/// One line of the role mapping: members of `group` get `role` (and provider staff their provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMapping {
    pub group: String,
    /// The role, with the provider for provider staff.
    pub role: Role,
}

impl RoleMapping {
    /// Reads `GROUP=ROLE` or `GROUP=provider:PROVIDER-ID` (roles in English or Dutch: admin/beheerder,
    /// analyst/analist, facilitator/begeleider, provider/aanbieder). The group is everything before the
    /// last `=`, as written in the identity provider (a name, a path such as `/gemeente/analisten`, or
    /// an object id).
    pub fn parse(text: &str) -> Result<RoleMapping, String> {
        let expected = "expected GROUP=ROLE or GROUP=provider:PROVIDER-ID, with ROLE one of admin, analyst, facilitator, provider";
        let Some((group, role)) = text.rsplit_once('=') else {
            return Err(format!("{text:?}: no '='; {expected}"));
        };
        let group = group.trim();
        if group.is_empty() {
            return Err(format!(
                "{text:?}: the group before '=' is empty; {expected}"
            ));
        }
        let (role_text, provider) = match role.split_once(':') {
            Some((role, provider)) => (role, Some(provider.trim())),
            None => (role, None),
        };
        let Some(kind) = RoleKind::parse(role_text) else {
            return Err(format!(
                "{text:?}: unknown role {:?}; {expected}",
                role_text.trim()
            ));
        };
        let role = match (kind, provider) {
            (RoleKind::Provider, Some(id)) => Role::Provider(
                ProviderId::parse(id)
                    .map_err(|error| format!("{text:?}: provider id {id:?}: {error}"))?,
            ),
            (RoleKind::Provider, None) => {
                return Err(format!(
                    "{text:?}: provider staff need their provider, as {group}=provider:PROVIDER-ID"
                ));
            }
            (_, Some(_)) => {
                return Err(format!(
                    "{text:?}: only the role provider takes a provider id"
                ));
            }
            (RoleKind::Admin, None) => Role::Admin,
            (RoleKind::Analyst, None) => Role::Analyst,
            (RoleKind::Facilitator, None) => Role::Facilitator,
        };
        Ok(RoleMapping {
            group: group.to_string(),
            role,
        })
    }
}

/// A login the identity provider vouched for, as the bank is asked to record it.
#[derive(Debug, Clone)]
pub struct SsoLogin {
    pub identity: SsoIdentity,
    /// The person's name from the provider, for the page header; may be empty.
    pub display_name: String,
    /// The role (with the provider, for provider staff) the groups gave, `None` when no group is
    /// mapped.
    pub role: Option<Role>,
}

/// Why the bank refuses someone the identity provider vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoRefusal {
    /// None of their groups is mapped to a role.
    NoRole,
    /// An administrator turned their account off.
    Disabled,
    /// A password account already has the name this identity would get.
    NameTaken,
    /// The mapping names a provider that is not in `municipality.toml`.
    ProviderUnknown,
}

impl SsoRefusal {
    /// The audit log's and the log's short code.
    pub fn code(self) -> &'static str {
        match self {
            SsoRefusal::NoRole => "no_role",
            SsoRefusal::Disabled => "disabled",
            SsoRefusal::NameTaken => "name_taken",
            SsoRefusal::ProviderUnknown => "provider_unknown",
        }
    }
}

/// How much a role may do, to choose between the roles of several groups.
fn weight(role: &Role) -> u8 {
    match role {
        Role::Admin => 4,
        Role::Analyst => 3,
        Role::Facilitator => 2,
        Role::Provider(_) => 1,
    }
}

/// The role the groups give: of the mappings whose group is among `groups` (compared exactly), the one
/// that may do most; between two of the same role, the first in the configuration. `None` when no
/// group is mapped.
pub fn role_for<'a>(mappings: &'a [RoleMapping], groups: &[String]) -> Option<&'a RoleMapping> {
    mappings
        .iter()
        .filter(|mapping| groups.contains(&mapping.group))
        .fold(None, |best: Option<&RoleMapping>, mapping| match best {
            Some(best) if weight(&best.role) >= weight(&mapping.role) => Some(best),
            _ => Some(mapping),
        })
}

/// The groups in a claim's value: a list of texts, or one text; anything else holds none.
pub fn groups_of(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(group)) => vec![group.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> RoleMapping {
        RoleMapping::parse(text).unwrap()
    }

    #[test]
    fn mappings_read_roles_in_english_and_dutch_with_providers() {
        assert_eq!(
            mapping("vb-analisten=analist"),
            RoleMapping {
                group: "vb-analisten".into(),
                role: Role::Analyst,
            }
        );
        assert_eq!(
            mapping("/gemeente/buurtwerk=provider:buurtwerk").role,
            Role::Provider(ProviderId::parse("buurtwerk").unwrap())
        );
        assert_eq!(
            mapping("a=b=admin").group,
            "a=b",
            "the group is what comes before the last ="
        );
    }

    #[test]
    fn bad_mappings_say_what_was_expected() {
        for (text, says) in [
            ("vb-analisten", "no '='"),
            ("=admin", "group before '=' is empty"),
            ("vb=koning", "unknown role \"koning\""),
            ("vb=provider", "need their provider"),
            ("vb=admin:buurtwerk", "only the role provider"),
            ("vb=provider:Buurt Werk", "provider id"),
        ] {
            let error = RoleMapping::parse(text).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
            assert!(
                error.contains("GROUP=ROLE") || error.contains("provider"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_group_that_may_do_most_decides() {
        let mappings = [
            mapping("medewerkers=provider:buurtwerk"),
            mapping("analisten=analyst"),
            mapping("beheer=admin"),
            mapping("ook-analisten=analyst"),
        ];
        let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            role_for(&mappings, &groups(&["analisten", "medewerkers"])).map(|m| m.role.clone()),
            Some(Role::Analyst)
        );
        assert_eq!(
            role_for(&mappings, &groups(&["ook-analisten", "analisten"])).map(|m| m.group.as_str()),
            Some("analisten"),
            "the first of two equal roles in the configuration"
        );
        assert_eq!(
            role_for(&mappings, &groups(&["beheer", "analisten"])).map(|m| m.role.clone()),
            Some(Role::Admin)
        );
        assert_eq!(role_for(&mappings, &groups(&["Analisten", "iets"])), None);
        assert_eq!(role_for(&mappings, &[]), None);
    }

    #[test]
    fn a_claim_holds_a_list_or_one_group() {
        assert_eq!(
            groups_of(Some(&serde_json::json!(["a", "b", 3]))),
            vec!["a", "b"]
        );
        assert_eq!(groups_of(Some(&serde_json::json!("a"))), vec!["a"]);
        assert!(groups_of(Some(&serde_json::json!({"a": 1}))).is_empty());
        assert!(groups_of(None).is_empty());
    }

    #[test]
    fn the_account_name_is_stable_and_differs_per_issuer() {
        let one = SsoIdentity {
            issuer: "https://login.example/a".into(),
            subject: "123".into(),
        };
        let other = SsoIdentity {
            issuer: "https://login.example/b".into(),
            subject: "123".into(),
        };
        assert_eq!(one.user_name(), one.clone().user_name());
        assert_ne!(one.user_name(), other.user_name());
        assert!(one.user_name().as_str().starts_with("sso-"));
        assert_eq!(one.user_name().as_str().len(), 20);
    }
}
