// The first k items of a total order without sorting everything: a binary max-heap (by the order) of
// the k best seen so far, O(n log k). Because the order is total, the result is exactly the first k
// of the full sort, whatever k is: a page never changes which items come first.

export const selectTopK = (
  items: ArrayLike<number>,
  k: number,
  compare: (a: number, b: number) => number,
): number[] => {
  if (k <= 0) return [];
  const heap: number[] = [];
  // heap[0] is the worst of the kept items: the one that sorts last.
  const worse = (a: number, b: number) => compare(a, b) > 0;
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < heap.length && worse(heap[left]!, heap[top]!)) top = left;
      if (right < heap.length && worse(heap[right]!, heap[top]!)) top = right;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
};
