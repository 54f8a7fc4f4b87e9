namespace TwoLayer;

/// <summary>
/// Plain gradient descent (7) with the squared loss: φ(z) = z²/2 makes ∇K the identity, and ℓ(r) = r²/2 summed over the
/// residual XW₁W₂ᵀ − Y is the paper's (22). The generator gives it <c>Step(TwoLayerProblem, w1, w2, workspace, t, rule)</c>.
/// </summary>
[DslOptim.Optimizer]
public partial struct SquaredLossGd
{
    public double Eta { get; init; } = 1e-3;

    [DslOptim.Potential(DslOptim.PotentialKind.Elementwise)]
    public static double Phi(double z) => 0.5 * z * z;

    [DslOptim.Loss] public static double Squared(double r) => 0.5 * r * r;

    [DslOptim.Schedule] public double LearningRate(long t) => Eta;
}
