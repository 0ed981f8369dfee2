//! The Debian package's description: every file it installs is in the repository, the systemd units
//! run the service as its own user with the hardening docs/deploy.md promises, and the default
//! configuration file is one the program reads.

use crate::support::{repo_root, text};

fn deb_metadata() -> toml::Table {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap()).unwrap();
    manifest["package"]["metadata"]["deb"]
        .as_table()
        .expect("[package.metadata.deb] in Cargo.toml")
        .clone()
}

#[test]
fn the_package_installs_files_that_exist() {
    let deb = deb_metadata();
    let assets = deb["assets"].as_array().unwrap();
    let targets: Vec<&str> = assets
        .iter()
        .map(|asset| asset.as_array().unwrap()[1].as_str().unwrap())
        .collect();
    for needed in ["usr/bin/", "etc/verhalenbank/verhalenbank.toml"] {
        assert!(targets.contains(&needed), "{needed} in {targets:?}");
    }
    // The units come from `systemd-units` alone: an asset for one too would install it twice on a
    // merged-/usr system (/lib is /usr/lib), which dpkg refuses.
    assert!(
        !targets.iter().any(|target| target.contains("systemd")),
        "{targets:?}"
    );
    for asset in assets {
        let source = asset.as_array().unwrap()[0].as_str().unwrap();
        if !source.starts_with("target/") {
            assert!(repo_root().join(source).is_file(), "{source} is missing");
        }
    }
    let scripts = deb["maintainer-scripts"].as_str().unwrap();
    assert!(repo_root().join(scripts).join("postinst").is_file());
    let units = deb["systemd-units"]["unit-scripts"].as_str().unwrap();
    assert!(
        repo_root()
            .join(units)
            .join("verhalenbank.service")
            .is_file()
    );
}

#[test]
fn the_units_run_as_their_own_user_with_hardening() {
    for unit in ["verhalenbank.service", "verhalenbank@.service"] {
        let text = std::fs::read_to_string(repo_root().join("packaging").join(unit)).unwrap();
        for line in [
            "User=verhalenbank",
            "ProtectSystem=strict",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=",
            "KillSignal=SIGTERM",
        ] {
            assert!(text.lines().any(|l| l == line), "{unit}: {line}");
        }
        assert!(
            text.lines()
                .any(|l| l.starts_with("StateDirectory=verhalenbank")),
            "{unit}"
        );
        assert!(
            text.contains("ExecStart=/usr/bin/verhalenbank serve"),
            "{unit}"
        );
    }
    let template =
        std::fs::read_to_string(repo_root().join("packaging/verhalenbank@.service")).unwrap();
    assert!(template.contains("VERHALENBANK_CONFIG=/etc/verhalenbank/%i.toml"));
    assert!(template.contains("StateDirectory=verhalenbank/%i"));
}

#[test]
fn the_default_configuration_reads() {
    // Every key of the shipped file is an option the program knows: `user list` reads the file
    // whole (and its data folder, made here in a temporary one through the environment).
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
        .arg("--config")
        .arg(repo_root().join("packaging/verhalenbank.toml"))
        .env("VERHALENBANK_DATA_DIR", dir.path())
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
}

#[test]
fn the_manual_pages_come_from_the_command_line_definition() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_verhalenbank"))
        .args(["man", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert!(page("verhalenbank.1").starts_with(".ie"), "roff");
    assert!(page("verhalenbank.1").contains("verhalenbank\\-serve(1)"));
    assert!(page("verhalenbank-serve.1").contains("backup\\-dir"));
    assert!(page("verhalenbank-user-disable.1").contains("can no longer log in"));
    let deb = deb_metadata();
    assert!(
        deb["assets"].as_array().unwrap().iter().any(|asset| {
            asset[0].as_str() == Some("target/man/*.1.gz")
                && asset[1].as_str() == Some("usr/share/man/man1/")
        }),
        "the package installs them"
    );
}
