// Symmetric per-vector int8 quantisation (absmax scaling, as in Jacob et al. 2018, "Quantization and
// Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference", with zero point 0):
// q = round(x / s), s = max|x| / 127. Rounding to nearest bounds the error of every component by s / 2.
// 127, not 128, keeps the code range symmetric so -x quantises to -q.

const INT8_MAX = 127;

export type TInt8Vector = { values: Int8Array; scale: number };

export const quantizeInt8 = (vector: Float32Array): TInt8Vector => {
  let maxAbs = 0;
  for (let i = 0; i < vector.length; i++) maxAbs = Math.max(maxAbs, Math.abs(vector[i]!));
  const values = new Int8Array(vector.length);
  if (!Number.isFinite(maxAbs)) throw new RangeError("cannot quantise a vector with NaN or infinite values");
  if (maxAbs === 0) return { values, scale: 0 };
  const scale = maxAbs / INT8_MAX;
  for (let i = 0; i < vector.length; i++) values[i] = Math.round(vector[i]! / scale);
  return { values, scale };
};

export const dequantizeInt8 = ({ values, scale }: TInt8Vector): Float32Array => {
  const vector = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) vector[i] = values[i]! * scale;
  return vector;
};
