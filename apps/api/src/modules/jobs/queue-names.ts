// One queue per workload, each with its own concurrency: a long training run never starves imports.
export const QUEUES = {
  ingest: { concurrency: 2 },
  quality: { concurrency: 2 },
  features: { concurrency: 1 },
  training: { concurrency: 1 },
  maintenance: { concurrency: 1 },
} as const;

export type TQueueName = keyof typeof QUEUES;

export const QUEUE_NAMES = Object.keys(QUEUES) as TQueueName[];

export const isQueueName = (value: string): value is TQueueName => value in QUEUES;
