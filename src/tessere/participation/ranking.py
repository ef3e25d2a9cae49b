"""The ranking of a table's contributions: weighted scoring matrix or dot voting.

Scoring matrix: for each contribution and criterion, the mean of the scores given by the
members who scored it (a member who did not score is left out, never counted as zero); the
contribution's score is the weighted mean of those criterion means, over the criteria that
received at least one score. Scores are compared rounded to 9 decimals (they are ratios of
small integers, so distinct values differ far more than that): equal scores are ties and share a
rank (1, 2, 2, 4). Contributions nobody scored are listed last, without a rank.

Dot voting: the points each contribution received and how many members gave them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from tessere.participation.models import Contribution, Criterion, DotVote, Score, Table


@dataclass(frozen=True)
class Item:
    """What a ranking needs of a contribution (light: thousands are ranked at once)."""

    pk: int
    title: str
    kind: str
    author_name: str

    def get_kind_display(self) -> str:
        return str(Contribution.Kind(self.kind).label)


@dataclass
class RankRow:
    contribution: Item
    score: float | None
    scorers: int
    rank: int | None = None
    tied: bool = False
    by_criterion: list[float | None] = field(default_factory=list)

    @property
    def score_display(self) -> float | None:
        return None if self.score is None else round(self.score, 2)

    @property
    def key(self) -> float | None:
        return None if self.score is None else round(self.score, 9)


def rankable(table: Table) -> list[Item]:
    return [
        Item(*row)
        for row in Contribution.objects.filter(
            table=table, moderation=Contribution.Moderation.PUBLISHED
        )
        .exclude(status__in=[Contribution.Status.MERGED, Contribution.Status.REJECTED])
        .order_by("id")
        .values_list("id", "title", "kind", "author_name")
    ]


def _assign_ranks(rows: list[RankRow]) -> list[RankRow]:
    scored = [row for row in rows if row.score is not None]
    unscored = [row for row in rows if row.score is None]
    scored.sort(key=lambda row: (-row.key, row.contribution.title))  # type: ignore[operator]
    counts: dict[float | None, int] = defaultdict(int)
    for row in scored:
        counts[row.key] += 1
    position = 0
    previous: float | None = None
    for index, row in enumerate(scored, start=1):
        if row.key != previous:
            position = index
            previous = row.key
        row.rank = position
        row.tied = counts[row.key] > 1
    unscored.sort(key=lambda row: row.contribution.title)
    return scored + unscored


def scoring_ranking(table: Table) -> tuple[list[Criterion], list[RankRow]]:
    criteria = list(Criterion.objects.filter(table=table).order_by("position", "id"))
    items = rankable(table)
    sums: dict[tuple[int, int], tuple[int, int]] = {}
    for row in (
        Score.objects.filter(criterion__table=table)
        .values("contribution_id", "criterion_id")
        .annotate(total=Sum("value"), n=Count("id"))
    ):
        sums[(row["contribution_id"], row["criterion_id"])] = (row["total"], row["n"])
    scorers = dict(
        Score.objects.filter(criterion__table=table)
        .values("contribution_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("contribution_id", "n")
    )
    rows = []
    for contribution in items:
        weighted = 0.0
        weights = 0
        means: list[float | None] = []
        for criterion in criteria:
            total_n = sums.get((contribution.pk, criterion.pk))
            if total_n is None:
                means.append(None)
                continue
            mean = total_n[0] / total_n[1]
            means.append(mean)
            weighted += criterion.weight * mean
            weights += criterion.weight
        rows.append(
            RankRow(
                contribution=contribution,
                score=weighted / weights if weights else None,
                scorers=scorers.get(contribution.pk, 0),
                by_criterion=means,
            )
        )
    return criteria, _assign_ranks(rows)


def dots_ranking(table: Table) -> list[RankRow]:
    items = rankable(table)
    totals = {
        row["contribution_id"]: (row["points"], row["voters"])
        for row in DotVote.objects.filter(contribution__table=table)
        .values("contribution_id")
        .annotate(points=Sum("points"), voters=Count("member_id", distinct=True))
    }
    rows = [
        RankRow(
            contribution=c,
            score=float(totals.get(c.pk, (0, 0))[0]),
            scorers=totals.get(c.pk, (0, 0))[1],
        )
        for c in items
    ]
    return _assign_ranks(rows)


def ranking(table: Table) -> tuple[list[Criterion], list[RankRow]]:
    if table.method == Table.Method.DOTS:
        return [], dots_ranking(table)
    return scoring_ranking(table)
