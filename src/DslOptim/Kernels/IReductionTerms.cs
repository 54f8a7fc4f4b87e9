using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The per-element terms of up to four declared reductions (<see cref="ReductionAttribute"/>): for one weight entry and
/// its gradient entry, the value each reduction adds. Written once per width so that <see cref="ReductionPass"/> can run
/// it at the machine's widest vector; the generator emits one such struct per optimizer that declares reductions, with
/// the per-step values (η_t, hyperparameters) in its fields.
/// </summary>
/// <typeparam name="T">The type the terms are computed in: <see cref="double"/> (the pass widens float input).</typeparam>
/// <remarks>All four overloads must compute the same function; they may differ by rounding only. Terms beyond
/// <see cref="Count"/> are ignored.</remarks>
public interface IReductionTerms<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many of r0…r3 are reductions (1–4), always the first ones; a JIT-time constant.</summary>
    static abstract int Count { get; }

    /// <summary>The terms of one element.</summary>
    /// <param name="w">The weight entry.</param>
    /// <param name="g">The gradient entry.</param>
    /// <param name="r0">The first reduction's term.</param>
    /// <param name="r1">The second's, if <see cref="Count"/> ≥ 2.</param>
    /// <param name="r2">The third's, if <see cref="Count"/> ≥ 3.</param>
    /// <param name="r3">The fourth's, if <see cref="Count"/> = 4.</param>
    void Invoke(T w, T g, out T r0, out T r1, out T r2, out T r3);

    /// <inheritdoc cref="Invoke(T, T, out T, out T, out T, out T)"/>
    void Invoke(Vector128<T> w, Vector128<T> g, out Vector128<T> r0, out Vector128<T> r1, out Vector128<T> r2, out Vector128<T> r3);

    /// <inheritdoc cref="Invoke(T, T, out T, out T, out T, out T)"/>
    void Invoke(Vector256<T> w, Vector256<T> g, out Vector256<T> r0, out Vector256<T> r1, out Vector256<T> r2, out Vector256<T> r3);

    /// <inheritdoc cref="Invoke(T, T, out T, out T, out T, out T)"/>
    void Invoke(Vector512<T> w, Vector512<T> g, out Vector512<T> r0, out Vector512<T> r1, out Vector512<T> r2, out Vector512<T> r3);
}
