/** Scales `vector` in place to unit L2 norm; leaves an all-zero vector as it is (no NaN). */
export const normalizeInPlace = (vector: Float32Array): Float32Array => {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const inverse = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i]! *= inverse;
  return vector;
};

export const dot = (a: Float32Array, b: Float32Array): number => {
  if (a.length !== b.length) throw new RangeError(`dot of vectors of length ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

export const norm = (vector: Float32Array): number => Math.sqrt(dot(vector, vector));
