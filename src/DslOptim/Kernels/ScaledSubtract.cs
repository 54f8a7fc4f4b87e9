using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The update w ← w − scale·g. Isotropic potentials K(Z) = h(‖Z‖_F) step with it after the norm pass:
/// w ← w − η·h′(s)/s·g with scale = η·h′(s)/s computed once per step.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Every overload computes a plain multiply then subtract — not a fused multiply-add — so that the scalar peel
/// and tail and the vector body round identically and the result does not depend on which elements the
/// alignment sends to which path (nor on the machine's vector width): bitwise equal to the scalar loop
/// <c>w[i] = w[i] - scale * g[i]</c>. (The JIT does not contract a*b − c into an FMA on its own.)
/// </remarks>
public readonly struct ScaledSubtract<T> : IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _scale;

    /// <summary>Creates the update w ← w − <paramref name="scale"/>·g.</summary>
    /// <param name="scale">The factor of the gradient, e.g. η·h′(s)/s.</param>
    public ScaledSubtract(T scale) => _scale = scale;

    /// <summary>The factor of the gradient.</summary>
    public T Scale => _scale;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g) => w - (_scale * g);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => w - (Vector128.Create(_scale) * g);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => w - (Vector256.Create(_scale) * g);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => w - (Vector512.Create(_scale) * g);
}
