using System;
using DslOptim.LinearAlgebra;
using Xunit;

namespace DslOptim.Tests.TwoLayer;

/// <summary>The two-layer step and its certificate against explicit constructions: Lemma A.2, eq. (8), the composed step.</summary>
public sealed class TwoLayerStepTests
{
    [Theory]
    [InlineData(3, 2, 5, 1)]
    [InlineData(2, 3, 6, 2)]
    [InlineData(4, 4, 9, 3)]
    [InlineData(3, 2, 2, 4)] // h < n: σ_min(𝒯) = 0
    public void LemmaA2MatchesTheExplicitOperator(int n, int m, int h, int seed)
    {
        var random = new Random(seed);
        int s = n;
        double[] x = TwoLayerData.Orthogonal(n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random), w2 = TwoLayerData.Gaussian(m * h, random);
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        TwoLayerCertificate certificate = new TwoLayerSquaredGd().Certify(problem, w1, w2, workspace);

        // 𝒯(U) = [U W2; Uᵀ W1] ∈ ℝ^{(n+m)×h} as a ((n+m)h)×(nm) matrix: column (i, j) is 𝒯(e_i e_jᵀ), whose top block has
        // row i = row j of W2 and whose bottom block has row j = row i of W1 (eq. 8's operator).
        int rows = (n + m) * h, cols = n * m;
        var t = new double[rows * cols];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                int col = (i * m) + j;
                for (int c = 0; c < h; c++)
                {
                    t[(((i * h) + c) * cols) + col] += w2[(j * h) + c];
                    t[((((n + j) * h) + c) * cols) + col] += w1[(i * h) + c];
                }
            }
        }

        double[] tt = TwoLayerData.Multiply(TwoLayerData.Transpose(t, rows, cols), cols, rows, t, cols);
        double[] eigenvalues = TwoLayerData.JacobiEigenvalues(tt, cols);
        double scale = eigenvalues[^1];
        Assert.True(Math.Abs(certificate.SigmaMinSquaredT - Math.Max(eigenvalues[0], 0.0)) <= 1e-12 * scale,
            $"σ²_min(𝒯): Lemma A.2 {certificate.SigmaMinSquaredT:R}, explicit {eigenvalues[0]:R}");
        Assert.True(Math.Abs(certificate.SigmaMaxSquaredT - eigenvalues[^1]) <= 1e-12 * scale,
            $"σ²_max(𝒯): Lemma A.2 {certificate.SigmaMaxSquaredT:R}, explicit {eigenvalues[^1]:R}");
        if (h < n)
        {
            Assert.True(certificate.SigmaMinSquaredW1 <= 1e-12 * scale);
        }

        // σ_max(W) from the explicit product.
        double[] w = TwoLayerData.Multiply(w1, n, h, TwoLayerData.Transpose(w2, m, h), m);
        double[] wtw = TwoLayerData.Multiply(TwoLayerData.Transpose(w, n, m), m, n, w, m);
        double sigmaMaxW = Math.Sqrt(TwoLayerData.JacobiEigenvalues(wtw, m)[^1]);
        Assert.True(Math.Abs(certificate.SigmaMaxW - sigmaMaxW) <= 1e-12 * sigmaMaxW);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(10, 4)]
    [InlineData(64, 5)]
    [InlineData(65, 6)]
    public void ExtremeEigenvaluesMatchJacobi(int n, int seed)
    {
        var random = new Random(seed);
        foreach (int rank in new[] { n, Math.Max(1, n / 2) })
        {
            // A = B Bᵀ with B n×rank: symmetric PSD, singular when rank < n (λ_min = 0), plus a plain symmetric one.
            double[] b = TwoLayerData.Gaussian(n * rank, random);
            double[] gram = TwoLayerData.Multiply(b, n, rank, TwoLayerData.Transpose(b, n, rank), n);
            double[] symmetric = TwoLayerData.Gaussian(n * n, random);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    symmetric[(i * n) + j] = symmetric[(j * n) + i];
                }
            }

            foreach (double[] matrix in new[] { gram, symmetric })
            {
                double[] expected = SymmetricEigen.Eigenvalues(matrix, n); // descending
                double scale = Math.Max(Math.Abs(expected[0]), Math.Abs(expected[^1]));
                var (min, max) = SymmetricExtremes.Compute((double[])matrix.Clone(), n, new double[4 * n]);
                Assert.True(Math.Abs(min - expected[^1]) <= 1e-13 * scale, $"n = {n}: λ_min {min:R} vs Jacobi {expected[^1]:R}");
                Assert.True(Math.Abs(max - expected[0]) <= 1e-13 * scale, $"n = {n}: λ_max {max:R} vs Jacobi {expected[0]:R}");
            }
        }

        Assert.Equal((0.0, 0.0), SymmetricExtremes.Compute(new double[n * n], n, new double[4 * n]));
    }

    public static TheoryData<string> Losses => new() { "Squared", "LogCosh", "SmoothHuber" };

    [Theory]
    [MemberData(nameof(Losses))]
    public void GradientMatchesCentralFiniteDifferences(string lossName)
    {
        const int s = 5, n = 4, m = 3, h = 70;
        var random = new Random(lossName.Length);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random, 2.0);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 0.3), w2 = TwoLayerData.Gaussian(m * h, random, 0.3);
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        var (loss, _) = TestLoss(lossName);

        // η = 1 (exact): ∇ = W(t) − W(t+1).
        double[] n1 = (double[])w1.Clone(), n2 = (double[])w2.Clone();
        TwoLayerCertificate certificate = RunStep(lossName, problem, n1, n2, workspace, TwoLayerStepSize.Constant(1.0), 1);
        double[] grad1 = new double[n1.Length], grad2 = new double[n2.Length];
        for (int i = 0; i < n1.Length; i++)
        {
            grad1[i] = w1[i] - n1[i];
        }

        for (int i = 0; i < n2.Length; i++)
        {
            grad2[i] = w2[i] - n2[i];
        }

        double Loss(double[] a, double[] b)
        {
            double[] w = TwoLayerData.Multiply(a, n, h, TwoLayerData.Transpose(b, m, h), m);
            double[] r = TwoLayerData.Multiply(x, s, n, w, m);
            double sum = 0.0;
            for (int e = 0; e < r.Length; e++)
            {
                sum += loss(r[e] - y[e]);
            }

            return sum;
        }

        Assert.Equal(Loss(w1, w2), certificate.Loss, 12);
        double scale = Math.Max(TwoLayerData.MaxAbs(grad1), TwoLayerData.MaxAbs(grad2));
        const double step = 1e-5;
        foreach (var (weights, gradient) in new[] { (w1, grad1), (w2, grad2) })
        {
            for (int e = 0; e < weights.Length; e += 7)
            {
                double original = weights[e];
                weights[e] = original + step;
                double plus = Loss(w1, w2);
                weights[e] = original - step;
                double minus = Loss(w1, w2);
                weights[e] = original;
                double fd = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(fd - gradient[e]) <= 1e-7 * scale, $"{lossName}: entry {e}: eq. (8) {gradient[e]:R}, finite difference {fd:R}");
            }
        }

        // ‖∇L‖ of the certificate (from the Gram matrices) against the explicit gradient.
        double norm = 0.0;
        foreach (double g in grad1)
        {
            norm += g * g;
        }

        foreach (double g in grad2)
        {
            norm += g * g;
        }

        Assert.True(Math.Abs(certificate.GradientNorm - Math.Sqrt(norm)) <= 1e-11 * Math.Sqrt(norm));
    }

    [Theory]
    [InlineData(5, 3, 1000, 4, 1)]
    [InlineData(10, 10, 4096 + 37, 10, 1)]
    [InlineData(7, 2, 130, 3, 2)]
    [InlineData(1, 1, 65, 1, 1)]
    public void FullStepMatchesTheComposedReference(int n, int m, int h, int s, int threads)
    {
        var random = new Random((n * 1000) + h);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)), w2 = TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h));
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads);
        var optimizer = new TwoLayerHuberGd { Eta = 0.05, Delta = 0.7 };
        double[] r1 = (double[])w1.Clone(), r2 = (double[])w2.Clone();
        for (long t = 1; t <= 4; t++)
        {
            var reference = TwoLayerData.Reference(x, s, n, y, m, r1, r2, h, r => SmoothHuber(r, 0.7), r => SmoothHuberPrime(r, 0.7));
            TwoLayerCertificate certificate = optimizer.Step(problem, w1, w2, workspace, t);
            for (int i = 0; i < r1.Length; i++)
            {
                r1[i] -= 0.05 * reference.Grad1[i];
            }

            for (int i = 0; i < r2.Length; i++)
            {
                r2[i] -= 0.05 * reference.Grad2[i];
            }

            Assert.True(Math.Abs(certificate.Loss - reference.Loss) <= 1e-12 * reference.Loss, $"step {t}: L {certificate.Loss:R} vs {reference.Loss:R}");
            Assert.Equal(0.05, certificate.StepSize);
            double scale = Math.Max(TwoLayerData.MaxAbs(r1), TwoLayerData.MaxAbs(r2));
            Assert.True(TwoLayerData.MaxDifference(w1, r1) <= 1e-12 * scale, $"step {t}: W1 differs by {TwoLayerData.MaxDifference(w1, r1):E3}");
            Assert.True(TwoLayerData.MaxDifference(w2, r2) <= 1e-12 * scale, $"step {t}: W2 differs by {TwoLayerData.MaxDifference(w2, r2):E3}");

            // The products accumulated in the pass are those of the updated weights.
            double[] product = TwoLayerData.Multiply(r1, n, h, TwoLayerData.Transpose(r2, m, h), m);
            double[] gram1 = TwoLayerData.Multiply(r1, n, h, TwoLayerData.Transpose(r1, n, h), n);
            double[] gram2 = TwoLayerData.Multiply(r2, m, h, TwoLayerData.Transpose(r2, m, h), m);
            double products = Math.Max(TwoLayerData.MaxAbs(gram1), TwoLayerData.MaxAbs(gram2));
            Assert.True(TwoLayerData.MaxDifference(workspace.WeightProduct, product) <= 1e-12 * products);
            Assert.True(TwoLayerData.MaxDifference(workspace.FirstGram, gram1) <= 1e-12 * products);
            Assert.True(TwoLayerData.MaxDifference(workspace.SecondGram, gram2) <= 1e-12 * products);
        }
    }

    [Fact]
    public void FloatStepFollowsTheDoubleStep()
    {
        const int s = 6, n = 6, m = 4, h = 777;
        var random = new Random(11);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)), w2 = TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h));
        float[] f1 = TwoLayerData.Cast<float>(w1), f2 = TwoLayerData.Cast<float>(w2);
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var problemF = new TwoLayerProblem<float>(TwoLayerData.Cast<float>(x), s, n, TwoLayerData.Cast<float>(y), m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        var workspaceF = new TwoLayerWorkspace<float>(problemF, h, threads: 1);
        var optimizer = new TwoLayerSquaredGd { Eta = 0.05 };
        for (long t = 1; t <= 3; t++)
        {
            var c = optimizer.Step(problem, w1, w2, workspace, t);
            var cf = optimizer.Step(problemF, f1, f2, workspaceF, t);
            Assert.True(Math.Abs(c.Loss - cf.Loss) <= 1e-5 * c.Loss);
            Assert.True(Math.Abs(c.SigmaMaxSquaredT - cf.SigmaMaxSquaredT) <= 1e-5 * c.SigmaMaxSquaredT);
        }

        Assert.True(TwoLayerData.MaxDifference(TwoLayerData.ToDouble<float>(f1), w1) <= 1e-5 * TwoLayerData.MaxAbs(w1));
    }

    [Fact]
    public void BadShapesThrowBeforeAnyWrite()
    {
        const int s = 3, n = 3, m = 2, h = 100;
        var random = new Random(5);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random), w2 = TwoLayerData.Gaussian(m * h, random);
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        var optimizer = new TwoLayerSquaredGd();
        double[] c1 = (double[])w1.Clone(), c2 = (double[])w2.Clone();

        Assert.Throws<ArgumentException>(() => optimizer.Step(problem, w1.AsSpan(1), w2, workspace, 1));
        Assert.Throws<ArgumentException>(() => optimizer.Step(problem, w1, new double[(m * h) + 1], workspace, 1));
        var other = new TwoLayerProblem<double>(TwoLayerData.Gaussian(4 * n, random), 4, n, TwoLayerData.Gaussian(4 * m, random), m);
        Assert.Throws<ArgumentException>(() => optimizer.Step(other, w1, w2, workspace, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(problem, w1, w2, workspace, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(problem, w1, w2, workspace, 1, new NaNStepSize()));
        Assert.Throws<InvalidOperationException>(() => default(TwoLayerSquaredGd).Step(problem, w1, w2, workspace, 1));
        Assert.Equal(c1, w1);
        Assert.Equal(c2, w2);

        Assert.Throws<ArgumentException>(() => new TwoLayerProblem<double>(x, s, n + 1, y, m));
        Assert.Throws<ArgumentException>(() => new TwoLayerProblem<double>(x, s, n, y, m + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerProblem<double>(x, 0, n, y, m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerWorkspace<double>(problem, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSize.Constant(-1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSize.Adaptive(double.NaN));
    }

    [Fact]
    public void RulesThatNeedMuNameTheLossWithoutMu()
    {
        const int s = 4, n = 4, m = 2, h = 64;
        var random = new Random(8);
        double[] x = TwoLayerData.Orthogonal(n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random), w2 = TwoLayerData.Gaussian(m * h, random);
        double[] c1 = (double[])w1.Clone();
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);

        // log cosh: inf ℓ″ = 0 (not strongly convex). The certificate itself is fine; μ_t is not.
        TwoLayerCertificate certificate = new TwoLayerLogCoshGd().Certify(problem, w1, w2, workspace);
        Assert.True(certificate.Loss > 0);
        Assert.Equal(problem.SigmaMaxSquared, certificate.K, 12); // sup ℓ″ = 1
        var error = Assert.Throws<InvalidOperationException>(() => certificate.LocalPl);
        Assert.Contains("LogCosh", error.Message, StringComparison.Ordinal);
        Assert.Contains("DSLOPT006", error.Message, StringComparison.Ordinal);

        // The Huber loss's constants are not established: K is needed by eq. (19) → a clear error, nothing written.
        var huber = Assert.Throws<InvalidOperationException>(() => new TwoLayerHuberGd().Step(problem, w1, w2, workspace, 1, TwoLayerStepSize.Adaptive(0.01)));
        Assert.Contains("SmoothHuber", huber.Message, StringComparison.Ordinal);
        Assert.Equal(c1, w1);
    }

    internal static TwoLayerCertificate RunStep(string loss, TwoLayerProblem<double> problem, double[] w1, double[] w2, TwoLayerWorkspace<double> workspace, TwoLayerStepSize rule, long t)
        => loss switch
        {
            "Squared" => new TwoLayerSquaredGd().Step(problem, w1, w2, workspace, t, rule),
            "LogCosh" => new TwoLayerLogCoshGd().Step(problem, w1, w2, workspace, t, rule),
            _ => new TwoLayerHuberGd { Delta = 0.7 }.Step(problem, w1, w2, workspace, t, rule),
        };

    internal static (Func<double, double> Loss, Func<double, double> Derivative) TestLoss(string name) => name switch
    {
        "Squared" => (r => 0.5 * r * r, r => r),
        "LogCosh" => (r => Math.Log(Math.Cosh(r)), Math.Tanh),
        _ => (r => SmoothHuber(r, 0.7), r => SmoothHuberPrime(r, 0.7)),
    };

    private static double SmoothHuber(double r, double delta) => (0.5 * r * r) + (delta * (Math.Sqrt((delta * delta) + (r * r)) - delta));

    private static double SmoothHuberPrime(double r, double delta) => r + (delta * r / Math.Sqrt((delta * delta) + (r * r)));

    private sealed class NaNStepSize : TwoLayerStepSize
    {
        public override double Choose<TProbe>(in TwoLayerCertificate certificate, ref TProbe probe) => double.NaN;
    }
}
