using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// One fused per-element update with up to four per-element optimizer states (Adam's m and v, AMSGrad's v̂, …):
/// reads w, g and the previous states, writes the new w (returned) and the new states (through the refs).
/// Written once per width so that a single generic driver (<see cref="StatefulKernel"/>) can run it at the
/// machine's widest vector with a scalar peel and tail; the stateful sibling of <see cref="IElementwiseUpdate{T}"/>.
/// The generator emits one such operator struct per optimizer; its fields hold the values that depend only on
/// the step and the hyperparameters, computed once per step.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>All four overloads must compute the same function; they may differ by rounding only.</para>
/// <para>The states beyond <see cref="StateCount"/> are placeholders: the driver passes references to zeroed
/// locals for them and discards whatever the update writes there, so an update ignores them.</para>
/// </remarks>
public interface IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// How many of s0…s3 the update uses (1–4), always the first ones; a JIT-time constant, so unused states
    /// cost nothing (they are neither loaded nor stored).
    /// </summary>
    static abstract int StateCount { get; }

    /// <summary>The new weight for one element; the new states are written through the references.</summary>
    /// <param name="w">The weight.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="s0">The first state: the previous value in, the new value out.</param>
    /// <param name="s1">The second state, if <see cref="StateCount"/> ≥ 2.</param>
    /// <param name="s2">The third state, if <see cref="StateCount"/> ≥ 3.</param>
    /// <param name="s3">The fourth state, if <see cref="StateCount"/> = 4.</param>
    T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3);

    /// <summary>The new weights for <see cref="Vector128{T}.Count"/> elements; the new states through the references.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="g">The gradients.</param>
    /// <param name="s0">The first state: the previous values in, the new values out.</param>
    /// <param name="s1">The second state, if <see cref="StateCount"/> ≥ 2.</param>
    /// <param name="s2">The third state, if <see cref="StateCount"/> ≥ 3.</param>
    /// <param name="s3">The fourth state, if <see cref="StateCount"/> = 4.</param>
    Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3);

    /// <summary>The new weights for <see cref="Vector256{T}.Count"/> elements; the new states through the references.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="g">The gradients.</param>
    /// <param name="s0">The first state: the previous values in, the new values out.</param>
    /// <param name="s1">The second state, if <see cref="StateCount"/> ≥ 2.</param>
    /// <param name="s2">The third state, if <see cref="StateCount"/> ≥ 3.</param>
    /// <param name="s3">The fourth state, if <see cref="StateCount"/> = 4.</param>
    Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3);

    /// <summary>The new weights for <see cref="Vector512{T}.Count"/> elements; the new states through the references.</summary>
    /// <param name="w">The weights.</param>
    /// <param name="g">The gradients.</param>
    /// <param name="s0">The first state: the previous values in, the new values out.</param>
    /// <param name="s1">The second state, if <see cref="StateCount"/> ≥ 2.</param>
    /// <param name="s2">The third state, if <see cref="StateCount"/> ≥ 3.</param>
    /// <param name="s3">The fourth state, if <see cref="StateCount"/> = 4.</param>
    Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3);
}
