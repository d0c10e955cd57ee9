import * as tf from '@tensorflow/tfjs-core';

/** One link of a chain of functions. */
export type ChainBlock = (x: tf.Tensor4D) => tf.Tensor;

/**
 * The gradient of sum(f_n(…f_1(x))) with respect to x, recomputing each block's forward pass during the backward
 * pass (gradient checkpointing at block boundaries). tf.grad holds every activation and every intermediate gradient
 * of the whole chain until it returns (~40 MB per image for the NB201 network); this holds the block boundaries plus
 * one block's worth, for the price of a second forward pass. Every block's output must depend on its input (or be
 * the input itself).
 */
export function chainInputGrad(blocks: readonly ChainBlock[], x: tf.Tensor4D): tf.Tensor4D {
  if (blocks.length === 0) return tf.onesLike(x);
  const inputs: tf.Tensor4D[] = [x];
  for (let i = 0; i < blocks.length - 1; i++) {
    const f = blocks[i]!;
    const h = inputs[i]!;
    // A block that returns its input would make two boundaries one tensor, disposed twice below.
    inputs.push(tf.tidy(() => {
      const y = f(h) as tf.Tensor4D;
      return y === h ? tf.clone(y) : y;
    }));
  }
  let dy: tf.Tensor | null = null;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const f = blocks[i]!;
    const input = inputs[i]!;
    const upstream: tf.Tensor | null = dy;
    const dx: tf.Tensor = tf.tidy((): tf.Tensor => {
      if (upstream === null) return tf.grad((z: tf.Tensor) => tf.sum(f(z as tf.Tensor4D)))(input);
      return tf.grad((z: tf.Tensor) => {
        const y = f(z as tf.Tensor4D);
        // A block that returns its input (an NB201 cell whose only path is a skip) records no op, and tf.grad
        // refuses a function with an empty tape; a copy is the same function with one op on the tape.
        return y === z ? tf.clone(y) : y;
      })(input, upstream);
    });
    if (upstream !== null) upstream.dispose();
    if (i > 0) input.dispose();
    dy = dx;
  }
  return dy as tf.Tensor4D;
}

/** The same gradient by one tf.grad over the whole chain: no recomputation, but every activation held at once. */
export function wholeInputGrad(blocks: readonly ChainBlock[], x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(blocks.reduce((h, f) => f(h as tf.Tensor4D), z)))(x) as tf.Tensor4D);
}
