namespace DslOptim.Benchmarks;

/// <summary>
/// The paper's three potentials as source text (copied from the generator tests' Samples.cs, so the
/// benchmarks do not depend on the test project).
/// </summary>
public static class Sources
{
    public const string Usings = "using System;\nusing DslOptim;\n\n";

    /// <summary>Gradient clipping as an isotropic potential (paper §II.A.2).</summary>
    public const string ClippedGd = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct ClippedGd
        {
            public double Eps { get; init; } = 1.0;
            public double Eta { get; init; } = 0.05;

            // K(Z) = h(‖Z‖_F), declared by h on s ≥ 0
            [Potential(PotentialKind.Isotropic)]
            public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

            // separable loss on the residual r = x_iᵀ w_j − y_ij; L(W) = (1/n) Σ ℓ(r_ij)
            [Loss] public static double Squared(double r) => 0.5 * r * r;

            [Schedule] public double LearningRate(long t) => Eta;   // t = 1, 2, …
        }
        """;

    /// <summary>Normalized GD: K(Z) = ‖Z‖_F − ε log(ε + ‖Z‖_F) (paper §II.A.1).</summary>
    public const string NormalizedGd = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct NormalizedGd
        {
            public double Eps { get; init; } = 0.5;
            public double Eta { get; init; } = 0.1;

            [Potential(PotentialKind.Isotropic)]
            public double H(double s) => s - Eps * Math.Log(Eps + s);

            [Schedule] public double LearningRate(long t) => Eta;
        }
        """;

    /// <summary>Adam without momentum: φ(z) = |z| − ε log(ε + |z|), ∇K(Z) = Z/(ε + |Z|) (paper §II.A.3, eq. 7).</summary>
    public const string AdamWithoutMomentum = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct AdamWithoutMomentum
        {
            public double Eps { get; init; } = 0.5;
            public double Eta { get; init; } = 0.01;

            [Potential(PotentialKind.Elementwise)]
            public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

            [Schedule] public double LearningRate(long t) => Eta;
        }
        """;

    /// <summary>An unrelated file of the same project, edited between generator runs.</summary>
    public const string Unrelated = """
        namespace Samples;

        public static class Unrelated
        {
            public static int Value() => 1;
        }
        """;

    /// <summary>The source of a sample by name (the [Params] value).</summary>
    public static string Of(string name) => name switch
    {
        nameof(ClippedGd) => ClippedGd,
        nameof(NormalizedGd) => NormalizedGd,
        nameof(AdamWithoutMomentum) => AdamWithoutMomentum,
        _ => throw new System.ArgumentOutOfRangeException(nameof(name), name, "unknown sample"),
    };
}
