//! Themes in a round's stories: the stories grouped by the words they share, each group named by its
//! most telling words and shown with the story that fits it best. Domain only, no IO: the caller
//! supplies each story's words (a key that joins inflections, such as a Dutch stem, and the written
//! form), so this module needs no text analysis of its own.
//!
//! The method is spherical k-means on tf-idf vectors, written here rather than taken from a crate:
//! a round holds tens to a few hundred stories, the whole method is a hundred lines an analyst can have
//! explained, and it must be deterministic (same stories, same themes), which a crate's random seeding
//! would need work to guarantee. Seeds are chosen by farthest-first from the most central story, the
//! number of themes (2 to 8, at most a third of the stories, so a theme averages three stories or more)
//! by the mean silhouette, ties to fewer themes.
//! A theme of a single story is no theme: such stories go to "Overig" (other).
//!
//! Once an analyst renames, merges or drops a theme, the round keeps its themes ([`KeptTheme`]): the
//! stories listed stay where they are, and a story gathered later is placed in the kept theme whose
//! centroid is closest, or left unplaced when none fits ([`MIN_FIT`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::story::StoryId;

/// Most themes a round is split into.
pub const MAX_THEMES: usize = 8;
/// Words that name a theme.
pub const NAME_WORDS: usize = 3;
/// The least cosine similarity to a kept theme's centroid for a later story to be placed in it.
pub const MIN_FIT: f64 = 0.1;
/// Rounds of k-means at most; it settles long before on a round's stories.
const MAX_ITERATIONS: usize = 50;

/// A theme the round keeps once an analyst has edited its themes: stored with the round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeptTheme {
    /// Stable within the round: the theme's link (`/rondes/{id}/thema/{number}`) and forms name it.
    pub number: u32,
    /// The name an analyst typed; without it the theme is named by its words.
    pub name: Option<String>,
    pub stories: Vec<StoryId>,
    /// Dropped by an analyst: not shown, and no later story is placed in it.
    pub dropped: bool,
}

/// One theme as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryTheme {
    pub number: u32,
    /// The analyst's name, if one was typed.
    pub name: Option<String>,
    /// The most telling words, as people write them.
    pub words: Vec<String>,
    /// Its stories, closest to the centroid first.
    pub stories: Vec<StoryId>,
    /// The story closest to the centroid.
    pub representative: Option<StoryId>,
    /// How many of `stories` were placed in the theme after an analyst kept the themes.
    pub placed_later: usize,
}

/// A round's themes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Themes {
    /// Biggest first (computed), or in the kept order.
    pub themes: Vec<StoryTheme>,
    /// Stories that fit no theme well ("Overig"; with kept themes: not yet placed).
    pub other: Vec<StoryId>,
    /// Whether these are the round's kept themes (an analyst edited them) rather than computed now.
    pub kept: bool,
}

impl Themes {
    /// The theme with this number.
    pub fn theme(&self, number: u32) -> Option<&StoryTheme> {
        self.themes.iter().find(|t| t.number == number)
    }

    /// The themes as the round keeps them once an analyst edits one.
    pub fn to_kept(&self) -> Vec<KeptTheme> {
        self.themes
            .iter()
            .map(|t| KeptTheme {
                number: t.number,
                name: t.name.clone(),
                stories: t.stories.clone(),
                dropped: false,
            })
            .collect()
    }
}

/// A story's words: (key, written form) pairs, one per occurrence.
pub type Words = Vec<(String, String)>;

/// A vector as its non-zero entries (key index, weight), by key index: a story uses few of the keys.
type Sparse = Vec<(usize, f64)>;

/// The stories as unit tf-idf vectors over the keys used in at least two of them.
struct Vectors {
    ids: Vec<StoryId>,
    vectors: Vec<Sparse>,
    keys: Vec<String>,
    /// The most frequent written form of each key.
    forms: Vec<String>,
}

impl Vectors {
    fn new(stories: &[(StoryId, Words)]) -> Vectors {
        let mut sorted: Vec<&(StoryId, Words)> = stories.iter().collect();
        sorted.sort_by_key(|(id, _)| *id);
        sorted.dedup_by_key(|(id, _)| *id);
        let mut counts: Vec<BTreeMap<&str, usize>> = Vec::new();
        let mut forms: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
        for (_, words) in &sorted {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for (key, form) in words {
                *count.entry(key.as_str()).or_default() += 1;
                *forms
                    .entry(key.as_str())
                    .or_default()
                    .entry(form.as_str())
                    .or_default() += 1;
            }
            counts.push(count);
        }
        let mut frequency: BTreeMap<&str, usize> = BTreeMap::new();
        for count in &counts {
            for key in count.keys() {
                *frequency.entry(key).or_default() += 1;
            }
        }
        // A word of one story says nothing about what stories share; one in every story tells none apart.
        let n = counts.len();
        let keys: Vec<&str> = frequency
            .iter()
            .filter(|&(_, &df)| df >= 2 && df < n)
            .map(|(&key, _)| key)
            .collect();
        let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let vectors = counts
            .iter()
            .map(|count| {
                let mut vector: Sparse = count
                    .iter()
                    .filter_map(|(key, &tf)| {
                        let i = *index.get(key)?;
                        let idf = (n as f64 / frequency[key] as f64).ln();
                        Some((i, (1.0 + (tf as f64).ln()) * idf))
                    })
                    .collect();
                vector.sort_by_key(|&(i, _)| i);
                let norm = vector.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
                if norm > 0.0 {
                    vector.iter_mut().for_each(|(_, x)| *x /= norm);
                }
                vector
            })
            .collect();
        Vectors {
            ids: sorted.iter().map(|(id, _)| *id).collect(),
            vectors,
            forms: keys
                .iter()
                .map(|key| most_common_form(&forms[key]))
                .collect(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn position(&self, id: &StoryId) -> Option<usize> {
        self.ids.binary_search(id).ok()
    }

    fn is_empty_vector(&self, i: usize) -> bool {
        self.vectors[i].is_empty()
    }
}

fn most_common_form(forms: &BTreeMap<&str, usize>) -> String {
    // The most frequent form; of equally frequent ones the first alphabetically (a BTreeMap's order).
    let mut best: Option<(&str, usize)> = None;
    for (&form, &count) in forms {
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((form, count));
        }
    }
    best.map(|(form, _)| form.to_string()).unwrap_or_default()
}

fn normalise(vector: &mut [f64]) {
    let norm = vector.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
}

/// The cosine similarity of two unit vectors.
fn cosine(a: &Sparse, b: &Sparse) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The cosine similarity of a unit vector and a unit centroid.
fn dot(a: &Sparse, centroid: &[f64]) -> f64 {
    a.iter().map(|&(i, x)| x * centroid[i]).sum()
}

/// The similarity of every two of `points`, by their positions in it.
fn similarities(vectors: &Vectors, points: &[usize]) -> Vec<Vec<f64>> {
    points
        .iter()
        .map(|&a| {
            points
                .iter()
                .map(|&b| cosine(&vectors.vectors[a], &vectors.vectors[b]))
                .collect()
        })
        .collect()
}

/// The unit mean of some stories' vectors.
fn centroid(vectors: &Vectors, members: &[usize]) -> Vec<f64> {
    let mut sum = vec![0.0; vectors.keys.len()];
    for &i in members {
        for &(key, x) in &vectors.vectors[i] {
            sum[key] += x;
        }
    }
    normalise(&mut sum);
    sum
}

/// Spherical k-means from deterministic seeds: each story's group, by position in `points`;
/// `similar` holds the similarity of every two points.
fn k_means(vectors: &Vectors, points: &[usize], similar: &[Vec<f64>], k: usize) -> Vec<usize> {
    let v = &vectors.vectors;
    // Seeds by position in `points`. First the most central story; then each time the story least
    // like any seed so far.
    let centrality: Vec<f64> = similar.iter().map(|row| row.iter().sum()).collect();
    let central = (0..points.len())
        .max_by(|&a, &b| centrality[a].total_cmp(&centrality[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut seeds = vec![central];
    while seeds.len() < k {
        let next = (0..points.len())
            .filter(|p| !seeds.contains(p))
            .min_by(|&a, &b| {
                let ma = seeds
                    .iter()
                    .map(|&s| similar[a][s])
                    .fold(f64::MIN, f64::max);
                let mb = seeds
                    .iter()
                    .map(|&s| similar[b][s])
                    .fold(f64::MIN, f64::max);
                ma.total_cmp(&mb).then(a.cmp(&b))
            });
        match next {
            Some(p) => seeds.push(p),
            None => break,
        }
    }
    let mut centroids: Vec<Vec<f64>> = seeds
        .iter()
        .map(|&s| centroid(vectors, &[points[s]]))
        .collect();
    let mut groups = vec![usize::MAX; points.len()];
    for _ in 0..MAX_ITERATIONS {
        let assigned: Vec<usize> = points
            .iter()
            .map(|&p| closest(&v[p], &centroids).0)
            .collect();
        if assigned == groups {
            break;
        }
        groups = assigned;
        centroids = (0..centroids.len())
            .map(|c| {
                let members: Vec<usize> = points
                    .iter()
                    .zip(&groups)
                    .filter(|&(_, &g)| g == c)
                    .map(|(&p, _)| p)
                    .collect();
                if members.is_empty() {
                    centroids[c].clone()
                } else {
                    centroid(vectors, &members)
                }
            })
            .collect();
    }
    groups
}

/// The closest centroid and the similarity to it; ties go to the first.
fn closest(vector: &Sparse, centroids: &[Vec<f64>]) -> (usize, f64) {
    let mut best = (0, f64::MIN);
    for (c, centroid) in centroids.iter().enumerate() {
        let similarity = dot(vector, centroid);
        if similarity > best.1 {
            best = (c, similarity);
        }
    }
    best
}

/// The mean silhouette of a grouping, with cosine distance; a story alone in its group counts 0.
fn silhouette(similar: &[Vec<f64>], groups: &[usize], k: usize) -> f64 {
    let mut total = 0.0;
    for i in 0..groups.len() {
        let mut sums = vec![0.0; k];
        let mut sizes = vec![0usize; k];
        for j in 0..groups.len() {
            if i != j {
                sums[groups[j]] += 1.0 - similar[i][j];
                sizes[groups[j]] += 1;
            }
        }
        let own = groups[i];
        if sizes[own] == 0 {
            continue;
        }
        let a = sums[own] / sizes[own] as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::MAX, f64::min);
        if b < f64::MAX {
            total += (b - a) / a.max(b).max(f64::EPSILON);
        }
    }
    total / groups.len().max(1) as f64
}

/// The round's themes computed from its stories' words.
pub fn themes(stories: &[(StoryId, Words)]) -> Themes {
    let vectors = Vectors::new(stories);
    let points: Vec<usize> = (0..vectors.ids.len())
        .filter(|&i| !vectors.is_empty_vector(i))
        .collect();
    let most = MAX_THEMES.min(points.len() / 3);
    let similar = similarities(&vectors, &points);
    let mut best: Option<(f64, usize, Vec<usize>)> = None;
    for k in 2..=most {
        let groups = k_means(&vectors, &points, &similar, k);
        let score = silhouette(&similar, &groups, k);
        // Strictly better only, so of equal scores the fewer themes win.
        if best.as_ref().is_none_or(|(s, _, _)| score > *s + 1e-9) {
            best = Some((score, k, groups));
        }
    }
    // Without a grouping (too few stories with shared words) every story stands alone.
    let mut members: Vec<Vec<usize>> = points.iter().map(|&p| vec![p]).collect();
    if let Some((_, k, groups)) = best {
        members = (0..k)
            .map(|c| {
                points
                    .iter()
                    .zip(&groups)
                    .filter(|&(_, &g)| g == c)
                    .map(|(&p, _)| p)
                    .collect()
            })
            .collect();
    }
    let (groups, alone): (Vec<Vec<usize>>, Vec<Vec<usize>>) =
        members.into_iter().partition(|m| m.len() >= 2);
    let mut groups = groups;
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let placed: Vec<(Option<String>, Vec<usize>, usize)> =
        groups.into_iter().map(|m| (None, m, 0)).collect();
    let mut other: Vec<StoryId> = alone
        .into_iter()
        .flatten()
        .map(|i| vectors.ids[i])
        .collect();
    other.extend(
        (0..vectors.ids.len())
            .filter(|i| !points.contains(i))
            .map(|i| vectors.ids[i]),
    );
    other.sort();
    let numbers: Vec<u32> = (1..=placed.len() as u32).collect();
    Themes {
        themes: describe(&vectors, placed, &numbers),
        other,
        kept: false,
    }
}

/// The round's kept themes as they stand with its stories now: members no longer in the round (erased,
/// or hidden from the reader) are left out, and a story in no kept theme is placed in the closest
/// theme not dropped, or left in `other` when none fits.
pub fn kept_themes(stories: &[(StoryId, Words)], kept: &[KeptTheme]) -> Themes {
    let vectors = Vectors::new(stories);
    let shown: Vec<&KeptTheme> = kept.iter().filter(|t| !t.dropped).collect();
    let mut members: Vec<Vec<usize>> = shown
        .iter()
        .map(|t| {
            t.stories
                .iter()
                .filter_map(|id| vectors.position(id))
                .collect()
        })
        .collect();
    let centroids: Vec<Vec<f64>> = members.iter().map(|m| centroid(&vectors, m)).collect();
    let listed = |id: &StoryId| kept.iter().any(|t| t.stories.contains(id));
    let mut later = vec![0usize; shown.len()];
    let mut other = Vec::new();
    for (i, id) in vectors.ids.iter().enumerate() {
        if listed(id) {
            continue;
        }
        let (c, similarity) = closest(&vectors.vectors[i], &centroids);
        if !centroids.is_empty() && similarity >= MIN_FIT {
            members[c].push(i);
            later[c] += 1;
        } else {
            other.push(*id);
        }
    }
    let placed = shown
        .iter()
        .zip(members)
        .zip(later)
        .map(|((t, m), later)| (t.name.clone(), m, later))
        .collect();
    let numbers: Vec<u32> = shown.iter().map(|t| t.number).collect();
    Themes {
        themes: describe(&vectors, placed, &numbers),
        other,
        kept: true,
    }
}

/// Names the groups by their telling words, orders their stories by closeness and picks the
/// representative.
fn describe(
    vectors: &Vectors,
    groups: Vec<(Option<String>, Vec<usize>, usize)>,
    numbers: &[u32],
) -> Vec<StoryTheme> {
    let centroids: Vec<Vec<f64>> = groups
        .iter()
        .map(|(_, m, _)| centroid(vectors, m))
        .collect();
    groups
        .iter()
        .zip(numbers)
        .enumerate()
        .map(|(c, ((name, members, later), &number))| {
            let mut ordered: Vec<(usize, f64)> = members
                .iter()
                .map(|&i| (i, dot(&vectors.vectors[i], &centroids[c])))
                .collect();
            ordered.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            StoryTheme {
                number,
                name: name.clone(),
                words: telling_words(vectors, &centroids, c, members),
                stories: ordered.iter().map(|&(i, _)| vectors.ids[i]).collect(),
                representative: ordered.first().map(|&(i, _)| vectors.ids[i]),
                placed_later: *later,
            }
        })
        .collect()
}

/// The words weighing most in a theme's centroid compared with the other themes' centroids, used by
/// at least half of its stories (and at least two, when it has two).
fn telling_words(
    vectors: &Vectors,
    centroids: &[Vec<f64>],
    c: usize,
    members: &[usize],
) -> Vec<String> {
    let others = centroids.len().saturating_sub(1).max(1) as f64;
    let mut using = vec![0usize; vectors.keys.len()];
    for &i in members {
        for &(key, _) in &vectors.vectors[i] {
            using[key] += 1;
        }
    }
    let enough = members.len().div_ceil(2).max(members.len().min(2));
    let mut scored: Vec<(usize, f64)> = (0..vectors.keys.len())
        .filter(|&key| using[key] >= enough)
        .map(|key| {
            let elsewhere: f64 = centroids
                .iter()
                .enumerate()
                .filter(|&(o, _)| o != c)
                .map(|(_, centroid)| centroid[key])
                .sum::<f64>()
                / others;
            (key, centroids[c][key] - elsewhere)
        })
        .filter(|&(_, score)| score > 0.0)
        .collect();
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(vectors.keys[a.0].cmp(&vectors.keys[b.0]))
    });
    // A tag and a word of the text can be written alike; a name says each word once.
    let mut words: Vec<String> = Vec::new();
    for (key, _) in scored {
        let form = &vectors.forms[key];
        if !words
            .iter()
            .any(|w| w.to_lowercase() == form.to_lowercase())
        {
            words.push(form.clone());
        }
        if words.len() == NAME_WORDS {
            break;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words keyed by a crude stem (the word without a final `en`), so inflections join as a stemmer
    /// would join them.
    fn words(text: &str) -> Words {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 3)
            .map(|w| {
                let form = w.to_lowercase();
                let key = form.strip_suffix("en").unwrap_or(&form).to_string();
                (key, form)
            })
            .collect()
    }

    fn id(n: u8) -> StoryId {
        StoryId::parse(&format!("00000000-0000-4000-8000-0000000000{n:02}")).unwrap()
    }

    fn corpus() -> Vec<(StoryId, Words)> {
        [
            "De koffie in het buurthuis is gezellig, ik drink koffie met buren",
            "Elke week koffie in het buurthuis, daar ken ik nu buren",
            "In het buurthuis drinken we koffie en praten met buren",
            "Mijn schulden zijn opgelost, de schuldhulp maakte een plan",
            "De schuldhulp hielp met brieven en schulden bij de bank",
            "Door de schuldhulp heb ik weer grip op mijn schulden",
            "Een verhaal over iets heel anders zonder gedeelde woorden",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| (id(i as u8), words(text)))
        .collect()
    }

    #[test]
    fn two_separate_groups_become_two_themes_named_by_their_words() {
        let found = themes(&corpus());
        assert!(!found.kept);
        assert_eq!(found.themes.len(), 2, "{found:?}");
        let of = |n: u8| {
            found
                .themes
                .iter()
                .position(|t| t.stories.contains(&id(n)))
                .unwrap()
        };
        assert_eq!(of(0), of(1));
        assert_eq!(of(1), of(2));
        assert_eq!(of(3), of(4));
        assert_eq!(of(4), of(5));
        assert_ne!(of(0), of(3));
        assert_eq!(found.other, vec![id(6)]);
        let coffee = &found.themes[of(0)];
        assert!(coffee.words.contains(&"koffie".to_string()), "{coffee:?}");
        let debt = &found.themes[of(3)];
        // The written form, not the key the words were joined under.
        assert!(debt.words.contains(&"schulden".to_string()), "{debt:?}");
        assert!(debt.words.iter().all(|w| w != "schuld"), "{debt:?}");
        assert!(
            coffee
                .representative
                .is_some_and(|r| coffee.stories.contains(&r))
        );
        assert_eq!(coffee.stories.len(), 3);
    }

    #[test]
    fn the_same_stories_in_another_order_give_the_same_themes() {
        let mut reversed = corpus();
        reversed.reverse();
        assert_eq!(themes(&corpus()), themes(&reversed));
    }

    #[test]
    fn too_few_stories_make_no_themes() {
        let found = themes(&corpus()[..3]);
        assert!(found.themes.is_empty());
        assert_eq!(found.other.len(), 3);
    }

    #[test]
    fn kept_themes_keep_their_members_and_place_a_later_story_by_its_words() {
        let all = corpus();
        let kept = vec![
            KeptTheme {
                number: 4,
                name: Some("Geld".to_string()),
                stories: vec![id(3), id(4)],
                dropped: false,
            },
            KeptTheme {
                number: 7,
                name: None,
                stories: vec![id(0), id(1)],
                dropped: true,
            },
        ];
        let found = kept_themes(&all, &kept);
        assert!(found.kept);
        assert_eq!(found.themes.len(), 1);
        let money = &found.themes[0];
        assert_eq!((money.number, money.name.as_deref()), (4, Some("Geld")));
        // Story 5 is about debts as well; story 2 only shares words with the dropped theme.
        assert!(money.stories.contains(&id(5)));
        assert_eq!(money.placed_later, 1);
        assert_eq!(found.other, vec![id(2), id(6)]);
        // A member no longer among the round's stories is left out.
        let without: Vec<(StoryId, Words)> = all.into_iter().filter(|(s, _)| *s != id(3)).collect();
        let found = kept_themes(&without, &kept);
        assert!(!found.themes[0].stories.contains(&id(3)));
    }
}
