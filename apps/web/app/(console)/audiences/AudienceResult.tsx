"use client";

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import type { Audience } from "./queries";

const SHOWN_MEMBERS = 20;

const count = (n: number) => n.toLocaleString("en");

/** The ranked audience: who is in it, how many could have been, and the reach estimate by size. */
export function AudienceResult({
  audience,
  label,
  askedSize,
}: {
  audience: Audience;
  label: string;
  askedSize: number;
}) {
  const isInterest = audience.kind === "ITEM_INTEREST";
  // The asked size may equal one of the percentages: one row per size.
  const reach = [...audience.reach]
    .sort((a, b) => a.size - b.size)
    .filter((r, i, all) => i === 0 || all[i - 1]!.size !== r.size);
  const rows = reach.map((r) => ({
    size: count(r.size),
    asked: r.size === Math.min(askedSize, audience.eligibleUsers),
    affinity: Number(r.affinityIndex.toFixed(2)),
    share: audience.eligibleUsers > 0 ? r.size / audience.eligibleUsers : 0,
  }));
  return (
    <section className="panel" aria-label="Audience" data-testid="audience-result">
      <h2>Audience: {label}</h2>
      <div className="cards">
        <div className="card">
          <div className="card-label">Users chosen</div>
          <div className="card-value" data-testid="audience-members">
            {count(audience.members.length)}
          </div>
        </div>
        <div className="card">
          <div className="card-label">Eligible users</div>
          <div className="card-value">{count(audience.eligibleUsers)}</div>
        </div>
        {isInterest ? (
          <>
            <div className="card">
              <div className="card-label">Target items</div>
              <div className="card-value">{count(audience.targetItems)}</div>
            </div>
            <div className="card">
              <div className="card-label">Recent buyers left out</div>
              <div className="card-value">{count(audience.excludedBuyers)}</div>
            </div>
          </>
        ) : (
          <div className="card">
            <div className="card-label">Seed users with a profile</div>
            <div className="card-value">{count(audience.seedUsers)}</div>
          </div>
        )}
      </div>
      {audience.members.length === 0 ? (
        <p className="empty" data-testid="audience-none">
          No user qualifies:{" "}
          {isInterest
            ? "every user the model knows bought these items recently, or the model knows none of them."
            : "no profiled user outside the seed."}
        </p>
      ) : (
        <>
          <h3>Reach estimate</h3>
          <p className="muted">
            How interested the top users are at each audience size, as a multiple of the average eligible user
            ({isInterest ? "predicted interest" : "profile similarity to the seed"}): 1.0 is no better than
            targeting everyone. Larger audiences reach more people with less interest each; the darker bar is
            the size asked for.
          </p>
          <div className="chart" data-testid="reach-chart">
            <BarChart
              width={720}
              height={260}
              data={rows}
              margin={{ top: 8, right: 16, bottom: 24, left: 8 }}
            >
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis
                dataKey="size"
                tick={{ fontSize: 12 }}
                label={{
                  value: "audience size (users)",
                  position: "insideBottom",
                  offset: -12,
                  fontSize: 12,
                }}
              />
              <YAxis
                tick={{ fontSize: 12 }}
                width={56}
                tickFormatter={(v: number) => `${v}x`}
                label={{ value: "affinity index", angle: -90, position: "insideLeft", fontSize: 12 }}
              />
              <Tooltip formatter={(v) => [`${Number(v).toFixed(2)}x`, "affinity index"]} />
              <Bar dataKey="affinity" name="affinity index" isAnimationActive={false}>
                {rows.map((row) => (
                  <Cell key={row.size} fill={row.asked ? "#1e3a8a" : "#60a5fa"} />
                ))}
              </Bar>
            </BarChart>
          </div>
          <div className="table-wrap">
            <table className="table" data-testid="reach-table">
              <thead>
                <tr>
                  <th>Audience size</th>
                  <th>Share of eligible users</th>
                  <th>Mean {isInterest ? "score" : "similarity"}</th>
                  <th>Affinity index</th>
                </tr>
              </thead>
              <tbody>
                {reach.map((r, i) => (
                  <tr key={r.size}>
                    <td>{count(r.size)}</td>
                    <td>{(rows[i]!.share * 100).toFixed(1)}%</td>
                    <td>{r.meanScore.toFixed(4)}</td>
                    <td>{r.affinityIndex.toFixed(2)}x</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Top users</h3>
          <div className="table-wrap">
            <table className="table" data-testid="members-table">
              <thead>
                <tr>
                  <th>Rank</th>
                  <th>User</th>
                  <th>{isInterest ? "Predicted interest" : "Similarity"}</th>
                </tr>
              </thead>
              <tbody>
                {audience.members.slice(0, SHOWN_MEMBERS).map((m, i) => (
                  <tr key={m.userId}>
                    <td>{i + 1}</td>
                    <td className="mono">{m.userId}</td>
                    <td>{m.score.toFixed(4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {audience.members.length > SHOWN_MEMBERS ? (
            <p className="muted">
              The first {SHOWN_MEMBERS} of {count(audience.members.length)}; the export holds them all.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
