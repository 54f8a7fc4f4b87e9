namespace DslOptim;

/// <summary>
/// What the caller observed at the weights an optimizer step starts from, handed to
/// <see cref="LearningRateSchedule.At(long, in ObservedQuantities)"/> so that a schedule may adapt to it. For step t,
/// which moves w_{t−1} to w_t, the values describe w_{t−1} — the outcome of the previous step (or the
/// initialization, for t = 1): the loss L(w_{t−1}), the norm of the gradient ∇L(w_{t−1}) that step t applies, and
/// ‖w_{t−1}‖. Norms are Euclidean, Frobenius for matrices. The caller computes them (a schedule never does), and
/// passes NaN for any it does not know: <see cref="Unknown"/> has all three NaN.
/// </summary>
/// <remarks>
/// <c>default(ObservedQuantities)</c> holds zeros, which read as observed values; use <see cref="Unknown"/> when
/// nothing was observed. The struct is 24 bytes and passed by reference (<c>in</c>), so passing it costs nothing.
/// </remarks>
/// <param name="Loss">L(w_{t−1}), or NaN when unknown.</param>
/// <param name="GradientNorm">‖∇L(w_{t−1})‖, or NaN when unknown.</param>
/// <param name="WeightNorm">‖w_{t−1}‖, or NaN when unknown.</param>
public readonly record struct ObservedQuantities(double Loss, double GradientNorm, double WeightNorm)
{
    /// <summary>Nothing observed: all three quantities are NaN.</summary>
    public static ObservedQuantities Unknown => new(double.NaN, double.NaN, double.NaN);

    /// <summary>True when <see cref="Loss"/> is known (not NaN).</summary>
    public bool HasLoss => !double.IsNaN(Loss);

    /// <summary>True when <see cref="GradientNorm"/> is known (not NaN).</summary>
    public bool HasGradientNorm => !double.IsNaN(GradientNorm);

    /// <summary>True when <see cref="WeightNorm"/> is known (not NaN).</summary>
    public bool HasWeightNorm => !double.IsNaN(WeightNorm);
}
