using System;

namespace DslOptim.Certificates;

/// <summary>The examples of §II.A of the dual-space preconditioning paper whose step-size condition a certificate can check.</summary>
public enum StepSizeExampleKind
{
    /// <summary>No example: the certificate checks no example condition.</summary>
    None = 0,

    /// <summary>Normalized GD, K(Z) = ‖Z‖_F − ε log(ε + ‖Z‖_F) (§II.A.1): converges to (5) for η &lt; nε.</summary>
    NormalizedGd,

    /// <summary>Gradient clipping, ∇K(Z) = min(ε/‖Z‖_F, 1)·Z (§II.A.2): converges to (5) for η ≤ n·max(ε, 1).</summary>
    GradientClipping,

    /// <summary>Adam without momentum, φ(z) = |z| − ε log(ε + |z|) (§II.A.3): the paper asks η &lt; nε.</summary>
    AdamWithoutMomentum,
}

/// <summary>
/// One of the paper's examples (§II.A) with its ε, and the step-size condition the paper states for it.
/// <c>default</c> is <see cref="None"/>. Create the others with the factories, which validate ε.
/// </summary>
public readonly record struct StepSizeExample
{
    private StepSizeExample(StepSizeExampleKind kind, double epsilon)
    {
        Kind = kind;
        Epsilon = epsilon;
    }

    /// <summary>No example (the <c>default</c> value).</summary>
    public static StepSizeExample None => default;

    /// <summary>Which example.</summary>
    public StepSizeExampleKind Kind { get; }

    /// <summary>The example's ε (0 for <see cref="None"/>).</summary>
    public double Epsilon { get; }

    /// <summary>Normalized GD with the given ε: the condition is η &lt; nε.</summary>
    /// <param name="epsilon">ε; finite and positive.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not finite and positive.</exception>
    public static StepSizeExample NormalizedGd(double epsilon) => new(StepSizeExampleKind.NormalizedGd, Checked(epsilon));

    /// <summary>Gradient clipping at norm ε: the condition is η ≤ n·max(ε, 1).</summary>
    /// <param name="epsilon">ε, the clipping threshold; finite and positive.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not finite and positive.</exception>
    public static StepSizeExample GradientClipping(double epsilon) => new(StepSizeExampleKind.GradientClipping, Checked(epsilon));

    /// <summary>Adam without momentum with the given ε: the condition is η &lt; nε.</summary>
    /// <param name="epsilon">ε; finite and positive.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not finite and positive.</exception>
    public static StepSizeExample AdamWithoutMomentum(double epsilon) => new(StepSizeExampleKind.AdamWithoutMomentum, Checked(epsilon));

    /// <summary>The bound on η for n samples: nε, n·max(ε, 1), or NaN for <see cref="None"/>.</summary>
    /// <param name="n">The number of samples.</param>
    /// <returns>The right-hand side of the condition.</returns>
    public double Bound(int n) => Kind switch
    {
        StepSizeExampleKind.NormalizedGd or StepSizeExampleKind.AdamWithoutMomentum => n * Epsilon,
        StepSizeExampleKind.GradientClipping => n * Math.Max(Epsilon, 1.0),
        _ => double.NaN,
    };

    /// <summary>Whether η satisfies the example's condition for n samples; null for <see cref="None"/>.</summary>
    /// <param name="eta">The step size.</param>
    /// <param name="n">The number of samples.</param>
    /// <returns>η &lt; nε, η ≤ n·max(ε, 1), or null.</returns>
    public bool? Holds(double eta, int n) => Kind switch
    {
        StepSizeExampleKind.NormalizedGd or StepSizeExampleKind.AdamWithoutMomentum => eta < Bound(n),
        StepSizeExampleKind.GradientClipping => eta <= Bound(n),
        _ => null,
    };

    /// <summary>The condition in symbols with its bound for n samples, e.g. <c>η &lt; nε = 0.4</c>; <c>none</c> for <see cref="None"/>.</summary>
    /// <param name="n">The number of samples.</param>
    /// <returns>The condition as text, invariant culture.</returns>
    public string Condition(int n) => Kind switch
    {
        StepSizeExampleKind.NormalizedGd or StepSizeExampleKind.AdamWithoutMomentum => "η < nε = " + CertificateFormat.Number(Bound(n)),
        StepSizeExampleKind.GradientClipping => "η ≤ n·max(ε, 1) = " + CertificateFormat.Number(Bound(n)),
        _ => "none",
    };

    /// <summary>The example's name with its ε, e.g. <c>Normalized GD (ε = 0.1)</c>.</summary>
    /// <returns>The name, invariant culture.</returns>
    public override string ToString() => Kind switch
    {
        StepSizeExampleKind.NormalizedGd => "Normalized GD (ε = " + CertificateFormat.Number(Epsilon) + ")",
        StepSizeExampleKind.GradientClipping => "Gradient clipping (ε = " + CertificateFormat.Number(Epsilon) + ")",
        StepSizeExampleKind.AdamWithoutMomentum => "Adam without momentum (ε = " + CertificateFormat.Number(Epsilon) + ")",
        _ => "none",
    };

    private static double Checked(double epsilon)
    {
        if (!(epsilon > 0.0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and positive.");
        }
        return epsilon;
    }
}
