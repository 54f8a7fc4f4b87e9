using System;

namespace DslOptim;

/// <summary>
/// What a line search needs from a problem: the loss at the point a step of size η would reach from the current
/// weights, without moving them (a copy, or a closed form such as the two-layer model's).
/// </summary>
public interface ILineSearchProbe
{
    /// <summary>L(w − η·d), d the step's direction (for GD, ∇L(w)); the current weights must be left as they are.</summary>
    /// <param name="eta">The trial step size η &gt; 0.</param>
    /// <returns>The loss at the trial point (NaN or +∞ reject the trial).</returns>
    double LossAfterStep(double eta);
}

/// <summary>The parameters of <see cref="BacktrackingLineSearch"/> (Alg. 1 of the local-PL paper's Appendix G.2.1).</summary>
/// <param name="InitialStepSize">η_bt, the first trial at every step; finite and &gt; 0.</param>
/// <param name="Shrink">τ ∈ (0, 1): each rejection multiplies η by τ (the paper uses 0.1).</param>
/// <param name="Armijo">γ ∈ (0, 1): accept when L(new) ≤ L − γ·η·‖∇L‖² (the paper uses 0.9).</param>
/// <param name="MaxReductions">The most rejections before giving up (≥ 0): at most MaxReductions + 1 trial losses.</param>
public readonly record struct BacktrackingOptions(double InitialStepSize, double Shrink = 0.1, double Armijo = 0.9, int MaxReductions = 40)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a parameter outside its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (!(InitialStepSize > 0.0) || !double.IsFinite(InitialStepSize))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialStepSize), InitialStepSize, "The initial step size must be finite and positive.");
        }

        if (!(Shrink > 0.0 && Shrink < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(Shrink), Shrink, "The shrink factor τ must lie in (0, 1).");
        }

        if (!(Armijo > 0.0 && Armijo < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(Armijo), Armijo, "The Armijo constant γ must lie in (0, 1).");
        }

        if (MaxReductions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReductions), MaxReductions, "The number of reductions must be non-negative.");
        }
    }
}

/// <summary>The outcome of one backtracking search.</summary>
/// <param name="StepSize">The accepted η; when <paramref name="Accepted"/> is false, the last (smallest) η tried.</param>
/// <param name="TrialLoss">The loss at the accepted (or last) trial point.</param>
/// <param name="Reductions">How many times η was shrunk (0 when η_bt was accepted).</param>
/// <param name="Accepted">Whether the Armijo test passed within <see cref="BacktrackingOptions.MaxReductions"/> reductions.</param>
public readonly record struct BacktrackingResult(double StepSize, double TrialLoss, int Reductions, bool Accepted);

/// <summary>
/// Backtracking line search (local-PL paper, Appendix G.2.1, Alg. 1), usable with any optimizer whose step can be
/// tried at a given η: start from η_bt, multiply by τ until the Armijo test L(w − η d) ≤ L(w) − γ·η·‖∇L(w)‖² holds.
/// </summary>
/// <remarks>
/// Alg. 1 as printed tests L(new) &gt; L(t) − γ‖∇L(t)‖², without η: since L(w − η∇L) = L − η‖∇L‖² + O(η²), for small η the
/// decrease is only about η‖∇L‖², so whenever η &lt; γ the printed test can never pass however small η gets, and for
/// γ = 0.9 it demands more than the first-order decrease any step below 0.9 can give. The standard Armijo condition
/// (Nocedal &amp; Wright, eq. 3.4) has the factor η, which makes the test pass for every η below 2(1 − γ)/K on a
/// K-smooth function; that is what is implemented. The number of reductions is bounded, and the result says whether
/// the test passed.
/// </remarks>
public static class BacktrackingLineSearch
{
    /// <summary>Runs the search.</summary>
    /// <typeparam name="TProbe">The problem's trial loss; a struct (or class) implementing <see cref="ILineSearchProbe"/>.</typeparam>
    /// <param name="probe">Computes L at trial points.</param>
    /// <param name="loss">L(w), the current loss (finite).</param>
    /// <param name="gradientSquaredNorm">⟨∇L(w), d⟩, which for GD is ‖∇L(w)‖² (finite, ≥ 0).</param>
    /// <param name="options">η_bt, τ, γ and the bound on reductions.</param>
    /// <returns>The accepted step size, or the last tried with <see cref="BacktrackingResult.Accepted"/> false.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the loss or the norm is not finite (norm negative).</exception>
    public static BacktrackingResult Search<TProbe>(ref TProbe probe, double loss, double gradientSquaredNorm, in BacktrackingOptions options)
        where TProbe : ILineSearchProbe
    {
        options.Validate();
        if (!double.IsFinite(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "The current loss must be finite.");
        }

        if (!(gradientSquaredNorm >= 0.0) || !double.IsFinite(gradientSquaredNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(gradientSquaredNorm), gradientSquaredNorm, "‖∇L‖² must be finite and non-negative.");
        }

        double eta = options.InitialStepSize;
        double trial = double.NaN;
        for (int reductions = 0; ; reductions++)
        {
            trial = probe.LossAfterStep(eta);
            if (trial <= loss - (options.Armijo * eta * gradientSquaredNorm))
            {
                return new BacktrackingResult(eta, trial, reductions, Accepted: true);
            }

            if (reductions == options.MaxReductions)
            {
                return new BacktrackingResult(eta, trial, reductions, Accepted: false);
            }

            eta *= options.Shrink;
        }
    }

    /// <summary>Runs the search with a delegate for the trial loss (allocates the delegate's closure, if any).</summary>
    /// <param name="lossAfterStep">η ↦ L(w − η d), leaving w unchanged.</param>
    /// <param name="loss">L(w).</param>
    /// <param name="gradientSquaredNorm">‖∇L(w)‖² for GD, ⟨∇L(w), d⟩ in general.</param>
    /// <param name="options">η_bt, τ, γ and the bound on reductions.</param>
    /// <returns>The accepted step size, or the last tried with <see cref="BacktrackingResult.Accepted"/> false.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lossAfterStep"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the loss or the norm is not finite.</exception>
    public static BacktrackingResult Search(Func<double, double> lossAfterStep, double loss, double gradientSquaredNorm, in BacktrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(lossAfterStep);
        var probe = new DelegateProbe(lossAfterStep);
        return Search(ref probe, loss, gradientSquaredNorm, options);
    }

    private readonly struct DelegateProbe(Func<double, double> lossAfterStep) : ILineSearchProbe
    {
        public double LossAfterStep(double eta) => lossAfterStep(eta);
    }
}
