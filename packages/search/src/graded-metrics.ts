// Relevance metrics over graded judgements (grades 0-3), for the search benchmarks and evaluations.
// NDCG: K. Jarvelin and J. Kekalainen, "Cumulated gain-based evaluation of IR techniques", ACM TOIS
// 20(4), 2002, with the exponential gain 2^g - 1 and log2(rank + 1) discount of C. Burges et al.,
// "Learning to rank using gradient descent", ICML 2005 (the form TREC's trec_eval ndcg_cut uses with
// graded qrels). The ideal ranking sorts every judged item by grade.
// Recall@k counts the items at or above `relevantGrade` found in the top k, divided by
// min(k, number of such items), so a query with 300 relevant items can still reach 1 at k = 50.
// MRR: 1 / rank of the first item at or above `relevantGrade` (0 when none is in the list).

export type TJudgements = ReadonlyMap<string, number>;

const gain = (grade: number): number => 2 ** grade - 1;

export const ndcgAt = (ranked: readonly string[], judgements: TJudgements, k: number): number => {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += gain(judgements.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...judgements.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((grade, i) => {
    idcg += gain(grade) / Math.log2(i + 2);
  });
  return idcg > 0 ? dcg / idcg : 0;
};

export const recallAt = (
  ranked: readonly string[],
  judgements: TJudgements,
  k: number,
  relevantGrade: number,
): number => {
  let relevant = 0;
  for (const grade of judgements.values()) if (grade >= relevantGrade) relevant++;
  if (relevant === 0) return 0;
  const found = ranked.slice(0, k).filter((id) => (judgements.get(id) ?? 0) >= relevantGrade).length;
  return found / Math.min(k, relevant);
};

export const reciprocalRank = (
  ranked: readonly string[],
  judgements: TJudgements,
  relevantGrade: number,
): number => {
  const i = ranked.findIndex((id) => (judgements.get(id) ?? 0) >= relevantGrade);
  return i < 0 ? 0 : 1 / (i + 1);
};
