namespace DslOptim.Generators.Tests.Infrastructure;

/// <summary>The declarations of DESIGN.md and of the paper's three potentials, as source text.</summary>
internal static class Samples
{
    public const string Usings = "using System;\nusing DslOptim;\n\n";

    /// <summary>DESIGN.md's example: gradient clipping as an isotropic potential (paper §II.A.2).</summary>
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

    /// <summary>A declared preconditioner with a step-dependent term.</summary>
    public const string SignDescent = Usings + """
        namespace Samples;

        [Optimizer]
        public partial class SoftSignDescent
        {
            public double Delta { get; init; } = 1e-3;
            public double Lr { get; init; } = 0.01;
            public double Decay { get; init; } = 0.9;

            [Preconditioner]
            public double Direction(double g, long t) => g / (Math.Sqrt(g * g + Delta * Delta) * (1 - Math.Pow(Decay, t)));

            [Schedule] public double LearningRate(long t) => Lr / Math.Sqrt(t);
        }
        """;

    /// <summary>DESIGN.md's stateful example: Adam, with its two moment states and bias corrections.</summary>
    public const string Adam = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct Adam
        {
            public double Lr { get; init; } = 1e-3;
            public double Beta1 { get; init; } = 0.9;
            public double Beta2 { get; init; } = 0.999;
            public double Eps { get; init; } = 1e-8;

            [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;
            [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;
            [Preconditioner]
            public double Direction(double m, double v, long t)
                => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v / (1 - Math.Pow(Beta2, t))) + Eps);
            [Schedule] public double LearningRate(long t) => Lr;
        }
        """;

    /// <summary>Riemannian SGD on the sphere (notes §8.1.2) with its three reductions, and a norm: the reduction pass.</summary>
    public const string SphereSgd = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct SphereSgd
        {
            public double Lr { get; init; } = 0.1;
            public double Radius { get; init; } = 1.0;

            [Reduction(ReductionKind.Sum)] public double Ww(double w) => w * w;
            [Reduction(ReductionKind.Sum)] public double Wg(double w, double g) => w * g;
            [Reduction(ReductionKind.Norm)] public double GNorm(double g) => g;

            [Preconditioner] public double Direction(double g) => g;

            // p = g − (w·g/‖w‖²)·w, then the retraction r·(w − η p)/‖w − η p‖ with ‖w − η p‖² = ‖w‖² + η²‖p‖²
            [Update]
            public double Retract(double w, double d, double lr, double ww, double wg, double gNorm)
                => ww > 0 ? Radius * (w - lr * (d - wg / ww * w)) / Math.Sqrt(ww + lr * lr * Math.Max(gNorm * gNorm - wg * wg / ww, 0)) : w;

            [Schedule] public double LearningRate(long t) => Lr;
        }
        """;

    /// <summary>Plain GD with a loss (local-PL paper, eq. 7): gets the two-layer full step Step(TwoLayerProblem, …).</summary>
    public const string TwoLayerGd = Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct TwoLayerGd
        {
            public double Eta { get; init; } = 0.01;

            // φ(z) = z²/2: ∇K(G) = G, plain gradient descent
            [Potential(PotentialKind.Elementwise)]
            public static double Phi(double z) => 0.5 * z * z;

            // eq. (22): L(W1, W2) = ½‖X W1 W2ᵀ − Y‖²_F
            [Loss] public static double Squared(double r) => 0.5 * r * r;

            [Schedule] public double LearningRate(long t) => Eta;
        }
        """;
}
