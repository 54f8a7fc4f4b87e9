using System.Numerics;

namespace DslOptim.Kernels;

/// <summary>
/// A separable loss ℓ on a residual r = x_iᵀ W_j − Y_ij and its derivative ℓ′, as <see cref="LinearModel.Gradient{T, TLoss}"/>
/// calls them once per residual. The generator emits one such struct per <c>[Loss]</c> member; being a struct
/// type argument, it is compiled into the kernel and inlined.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// The kernel copies the operator (it may do so once per chunk of rows, and chunks run on several threads at once),
/// so both methods must be pure functions of <c>r</c> and of fields that do not change during the call.
/// </remarks>
public interface ILossOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>ℓ(r).</summary>
    /// <param name="r">The residual x_iᵀ W_j − Y_ij.</param>
    /// <returns>The loss of one residual.</returns>
    T Value(T r);

    /// <summary>ℓ′(r).</summary>
    /// <param name="r">The residual x_iᵀ W_j − Y_ij.</param>
    /// <returns>The derivative of the loss at <paramref name="r"/>.</returns>
    T Derivative(T r);
}
