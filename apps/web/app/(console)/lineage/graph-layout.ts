import dagre from "@dagrejs/dagre";
import type { LineageEdge, LineageNode, LineageNodeType } from "./queries";

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 52;

export type PositionedNode = { node: LineageNode; x: number; y: number };
export type PositionedEdge = {
  edge: LineageEdge;
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
};
export type GraphLayout = {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: PositionedEdge[];
};

/** Fill and stroke per node type: one hue per pipeline stage, so a glance tells data from models. */
export const TYPE_COLOURS: Record<LineageNodeType, { fill: string; stroke: string }> = {
  FILE: { fill: "#f3f4f6", stroke: "#6b7280" },
  DATASET_VERSION: { fill: "#e8effd", stroke: "#2563eb" },
  LABEL_PROJECT: { fill: "#fdf2f8", stroke: "#db2777" },
  EMBEDDING_SET: { fill: "#f5f3ff", stroke: "#7c3aed" },
  FEATURE_SET: { fill: "#ecfeff", stroke: "#0891b2" },
  PROFILE_SET: { fill: "#fefce8", stroke: "#ca8a04" },
  SEGMENT_SET: { fill: "#fff7ed", stroke: "#ea580c" },
  MODEL_VERSION: { fill: "#ecfdf5", stroke: "#16a34a" },
  SEARCH_INDEX: { fill: "#fef2f2", stroke: "#dc2626" },
  IMAGE_SET: { fill: "#f0fdfa", stroke: "#0d9488" },
};

// Files imported before lineage named them by their upload carry the stored name "<uploadId>-<name>".
const UPLOAD_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/i;

/** The name shown for a node: a file's own name, never its upload id. */
export const nodeLabel = (node: LineageNode): string =>
  node.type === "FILE" ? node.label.replace(UPLOAD_PREFIX, "") : node.label;

const EDGE_LABEL_CHAR_WIDTH = 6.5;

/** Left-to-right layered layout (dagre ranks: sources on the left, consumers on the right). */
export function layoutGraph(nodes: LineageNode[], edges: LineageEdge[]): GraphLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 40, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) {
    // Edge labels get their own space in the layout so relation names never sit on a node.
    graph.setEdge(
      edge.from,
      edge.to,
      { width: edge.relation.length * EDGE_LABEL_CHAR_WIDTH, height: 14, labelpos: "c" },
      edge.id,
    );
  }
  dagre.layout(graph);

  const positioned = nodes.map((node) => {
    const label = graph.node(node.id);
    return { node, x: label?.x ?? 0, y: label?.y ?? 0 };
  });
  const laidEdges = edges.map((edge) => {
    const label = graph.edge({ v: edge.from, w: edge.to, name: edge.id });
    const points = label?.points ?? [];
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return {
      edge,
      points,
      labelX: typeof label?.x === "number" ? label.x : middle.x,
      labelY: typeof label?.y === "number" ? label.y : middle.y,
    };
  });
  const size = graph.graph();
  return {
    width: Math.max(size.width ?? 0, NODE_WIDTH + 32),
    height: Math.max(size.height ?? 0, NODE_HEIGHT + 32),
    nodes: positioned,
    edges: laidEdges,
  };
}

/** An SVG path through dagre's edge points (straight segments; dagre already routes around nodes). */
export function edgePath(points: { x: number; y: number }[]): string {
  return points
    .map((point, i) => `${i === 0 ? "M" : "L"}${point.x.toFixed(1)},${point.y.toFixed(1)}`)
    .join(" ");
}
