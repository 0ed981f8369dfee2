//! The patterns in a round's stories, counted so that every number leads to the stories behind it: a
//! subgoal × tag matrix and a valence × area matrix. The themes in the stories are in `themes`.

use std::collections::BTreeMap;

use crate::ids::{AreaId, SubgoalId};
use crate::story::{Story, Valence};

/// Counts of stories in rows × columns, with the totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix<R, C> {
    pub rows: Vec<R>,
    pub columns: Vec<C>,
    /// `cells[row][column]`: the number of stories in both.
    pub cells: Vec<Vec<usize>>,
}

impl<R: PartialEq, C: PartialEq> Matrix<R, C> {
    fn count(rows: Vec<R>, columns: Vec<C>, pairs: impl Iterator<Item = (R, C)>) -> Matrix<R, C> {
        let mut cells = vec![vec![0; columns.len()]; rows.len()];
        for (row, column) in pairs {
            if let (Some(r), Some(c)) = (
                rows.iter().position(|x| *x == row),
                columns.iter().position(|x| *x == column),
            ) {
                cells[r][c] += 1;
            }
        }
        Matrix {
            rows,
            columns,
            cells,
        }
    }

    /// The largest cell, for shading.
    pub fn max(&self) -> usize {
        self.cells.iter().flatten().copied().max().unwrap_or(0)
    }
}

/// Subgoals × the most used tags: how often each theme comes up in the stories about each subgoal.
/// Rows are the round's subgoals (or, without them, every subgoal a story names).
pub fn subgoal_tags(
    stories: &[&Story],
    subgoals: &[SubgoalId],
    max_tags: usize,
) -> Matrix<SubgoalId, String> {
    let mut tag_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for story in stories {
        for tag in &story.tags {
            *tag_counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut tags: Vec<(&str, usize)> = tag_counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let columns: Vec<String> = tags
        .into_iter()
        .take(max_tags)
        .map(|(tag, _)| tag.to_string())
        .collect();
    let rows: Vec<SubgoalId> = if subgoals.is_empty() {
        let mut named: Vec<SubgoalId> = stories
            .iter()
            .flat_map(|s| s.subgoals.iter().cloned())
            .collect();
        named.sort();
        named.dedup();
        named
    } else {
        subgoals.to_vec()
    };
    let pairs = stories.iter().flat_map(|story| {
        story.subgoals.iter().flat_map(move |subgoal| {
            story
                .tags
                .iter()
                .map(move |tag| (subgoal.clone(), tag.clone()))
        })
    });
    Matrix::count(rows, columns, pairs)
}

/// Areas × valence: where the stories are positive, mixed or negative. `area_of` places a story in a
/// row (its stadsdeel, say); stories without an area fall in the row `None`.
pub fn valence_by_area(
    stories: &[&Story],
    area_of: impl Fn(&Story) -> Option<AreaId>,
) -> Matrix<Option<AreaId>, Valence> {
    let placed: Vec<(Option<AreaId>, Valence)> = stories
        .iter()
        .map(|story| (area_of(story), story.valence))
        .collect();
    let mut rows: Vec<Option<AreaId>> = placed.iter().map(|(area, _)| area.clone()).collect();
    rows.sort_by(|a, b| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(a), Some(b)) => a.cmp(b),
    });
    rows.dedup();
    let columns = vec![Valence::Positive, Valence::Mixed, Valence::Negative];
    Matrix::count(rows, columns, placed.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn story(title: &str, text: &str, subgoal: &str, tags: &[&str], valence: Valence) -> Story {
        let mut story = testing::story(title, text);
        story.subgoals = vec![SubgoalId::parse(subgoal).unwrap()];
        story.tags = tags.iter().map(|t| t.to_string()).collect();
        story.valence = valence;
        story
    }

    fn corpus() -> Vec<Story> {
        vec![
            story(
                "A",
                "De bus rijdt niet meer.",
                "sterker-netwerk",
                &["vervoer", "eenzaamheid"],
                Valence::Negative,
            ),
            story(
                "B",
                "Zonder bus kom ik nergens.",
                "sterker-netwerk",
                &["vervoer"],
                Valence::Mixed,
            ),
            story(
                "C",
                "De koffie is goed.",
                "sterker-netwerk",
                &["koffie"],
                Valence::Positive,
            ),
            story(
                "D",
                "Mijn schulden zijn weg.",
                "grip-op-geld",
                &["schulden"],
                Valence::Positive,
            ),
        ]
    }

    #[test]
    fn the_subgoal_tag_matrix_counts_stories_per_cell() {
        let stories = corpus();
        let refs: Vec<&Story> = stories.iter().collect();
        let matrix = subgoal_tags(&refs, &[], 3);
        assert_eq!(matrix.columns, vec!["vervoer", "eenzaamheid", "koffie"]);
        assert_eq!(
            matrix.rows.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            vec!["grip-op-geld", "sterker-netwerk"]
        );
        assert_eq!(matrix.cells, vec![vec![0, 0, 0], vec![2, 1, 1]]);
        assert_eq!(matrix.max(), 2);
    }

    #[test]
    fn valence_by_area_puts_stories_without_area_last() {
        let mut stories = corpus();
        stories[0].area = Some(AreaId::parse("noord").unwrap());
        stories[1].area = Some(AreaId::parse("noord").unwrap());
        let refs: Vec<&Story> = stories.iter().collect();
        let matrix = valence_by_area(&refs, |s| s.area.clone());
        assert_eq!(
            matrix.rows,
            vec![Some(AreaId::parse("noord").unwrap()), None]
        );
        assert_eq!(matrix.cells, vec![vec![0, 1, 1], vec![2, 0, 0]]);
    }
}
