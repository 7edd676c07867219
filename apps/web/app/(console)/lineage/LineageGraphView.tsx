"use client";

import { useMemo } from "react";
import { edgePath, layoutGraph, NODE_HEIGHT, NODE_WIDTH, nodeLabel, TYPE_COLOURS } from "./graph-layout";
import type { LineageEdge, LineageNode } from "./queries";

// About what fits in a node at 13 px bold; the full label is in the node's tooltip.
const LABEL_CHARS = 20;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface Props {
  nodes: LineageNode[];
  edges: LineageEdge[];
  onSelect: (node: LineageNode) => void;
}

/** The lineage graph as SVG: rounded boxes coloured by type, arrows labelled with their relation. */
export function LineageGraphView({ nodes, edges, onSelect }: Props) {
  const layout = useMemo(() => layoutGraph(nodes, edges), [nodes, edges]);
  return (
    <div style={{ overflowX: "hidden", overflowY: "auto", maxHeight: "75vh" }}>
      {/* Scales down to the card's width (never wider than drawn); tall graphs scroll vertically. */}
      <svg
        data-testid="lineage-graph"
        width="100%"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`Lineage graph with ${nodes.length} nodes and ${edges.length} edges`}
        style={{
          fontFamily: "var(--font)",
          display: "block",
          maxWidth: layout.width,
          height: "auto",
        }}
      >
        <defs>
          <marker
            id="lineage-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7280" />
          </marker>
        </defs>
        {layout.edges.map(({ edge, points, labelX, labelY }) => (
          <g key={edge.id} data-testid="lineage-edge" data-relation={edge.relation}>
            <path
              d={edgePath(points)}
              fill="none"
              stroke="#9ca3af"
              strokeWidth={1.5}
              markerEnd="url(#lineage-arrow)"
            />
            <text x={labelX} y={labelY + 4} textAnchor="middle" fontSize={11} fill="#4b5563">
              {edge.relation}
            </text>
          </g>
        ))}
        {layout.nodes.map(({ node, x, y }) => {
          const colours = TYPE_COLOURS[node.type] ?? TYPE_COLOURS.FILE;
          const root = node.depth === 0;
          const label = nodeLabel(node);
          const title =
            node.type === "DATASET_VERSION"
              ? `${label}: open the dataset`
              : `${label}: show the lineage around it`;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; role and keys make it one
            <g
              key={node.id}
              data-testid={`lineage-node-${node.type}`}
              data-node-id={node.id}
              transform={`translate(${x - NODE_WIDTH / 2}, ${y - NODE_HEIGHT / 2})`}
              role="button"
              tabIndex={0}
              aria-label={title}
              style={{ cursor: "pointer" }}
              onClick={() => onSelect(node)}
              onKeyDown={(event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  onSelect(node);
                }
              }}
            >
              <title>{`${label} (${node.type}${root ? ", start" : ""})\n${node.refId}`}</title>
              <rect
                width={NODE_WIDTH}
                height={NODE_HEIGHT}
                rx={10}
                ry={10}
                fill={colours.fill}
                stroke={colours.stroke}
                strokeWidth={root ? 3 : 1.5}
              />
              <text x={12} y={21} fontSize={13} fontWeight={600} fill="#1f2430">
                {shorten(label, LABEL_CHARS)}
              </text>
              <text x={12} y={39} fontSize={10.5} fill={colours.stroke} letterSpacing={0.4}>
                {node.type}
                {node.version ? ` · ${node.version.status}` : ""}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
