using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// One fused per-element update w ← u(w, g), written once per width so that a single generic driver
/// (<see cref="ElementwiseKernel"/>) can run it at the machine's widest vector with a scalar peel and tail.
/// The generator emits one such operator struct per optimizer; its fields hold the values that depend only
/// on the step and the hyperparameters, computed once per step.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>All four overloads must compute the same function; they may differ by rounding only.</remarks>
public interface IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The new weight for one element.</summary>
    T Invoke(T w, T g);

    /// <summary>The new weights for <see cref="Vector128{T}.Count"/> elements.</summary>
    Vector128<T> Invoke(Vector128<T> w, Vector128<T> g);

    /// <summary>The new weights for <see cref="Vector256{T}.Count"/> elements.</summary>
    Vector256<T> Invoke(Vector256<T> w, Vector256<T> g);

    /// <summary>The new weights for <see cref="Vector512{T}.Count"/> elements.</summary>
    Vector512<T> Invoke(Vector512<T> w, Vector512<T> g);
}
