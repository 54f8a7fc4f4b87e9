using System;
using System.Linq;
using DslOptim.LinearAlgebra;
using DslOptim.Tests.ReferenceData;
using DslOptim.TwoLayer.Theory;
using Xunit;

namespace DslOptim.Tests.TwoLayer.Theory;

/// <summary>Table 2's constants against reference/two_layer_reference.py and against explicit h×h imbalance matrices.</summary>
public sealed class TwoLayerConstantsTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in TwoLayerReference.Load().Cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    private static TwoLayerConstants Constants(TwoLayerReferenceCase c)
        => TwoLayerConstants.ForSquaredLoss(c.X, c.Y, c.S, c.W1, c.W2, c.N, c.M, c.H);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Table2MatchesTheReference(string name)
    {
        var c = TwoLayerReference.Load().Case(name);
        var k = Constants(c);
        var e = c.Constants;
        const double Tol = 1e-10;
        TheoryAssert.Relative(c.Mu, k.Mu, Tol, "μ = σ²_min(X)");
        TheoryAssert.Relative(c.K, k.K, Tol, "K = σ²_max(X)");
        TheoryAssert.Relative(c.InitialLoss, k.InitialLoss, Tol, "L(0)");
        TheoryAssert.Relative(e.LambdaPlus, k.LambdaPlus, Tol, "λ₊");
        TheoryAssert.Relative(e.LambdaMinus, k.LambdaMinus, Tol, "λ₋");
        TheoryAssert.Relative(e.LambdaN, k.LambdaN, Tol, "max(λ_n(D(0)), 0)");
        TheoryAssert.Relative(e.LambdaMNegative, k.LambdaMNegative, Tol, "max(λ_m(−D(0)), 0)");
        TheoryAssert.Relative(e.DeltaPlus, k.DeltaPlus, Tol, "Δ₊");
        TheoryAssert.Relative(e.DeltaMinus, k.DeltaMinus, Tol, "Δ₋");
        TheoryAssert.Relative(e.DeltaUnder, k.DeltaUnder, Tol, "Δ̲");
        TheoryAssert.Relative(e.SigmaMinWStar, k.SigmaMinWStar, Tol, "σ_min(W*)");
        TheoryAssert.Relative(e.SigmaMaxWStar, k.SigmaMaxWStar, Tol, "σ_max(W*)");
        TheoryAssert.Relative(e.InitialDistance, k.InitialDistance, 1e-9, "‖W(0) − W*‖_F");
        TheoryAssert.Relative(e.Beta1, k.Beta1, Tol, "β₁");
        TheoryAssert.Relative(e.Beta2, k.Beta2, Tol, "β₂");
        TheoryAssert.Relative(e.Alpha1, k.Alpha1, Tol, "α₁");
        TheoryAssert.Relative(e.Alpha2, k.Alpha2, Tol, "α₂");
        TheoryAssert.Relative(c.SigmaMinTSquaredEq29, k.SigmaMinTSquared, Tol, "σ²_min(𝒯₀)");
        TheoryAssert.Relative(c.SigmaMaxTSquaredEq29, k.SigmaMaxTSquared, Tol, "σ²_max(𝒯₀)");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImbalanceEigenvaluesAreTheNonzeroEigenvaluesOfTheExplicitD0(string name)
    {
        var c = TwoLayerReference.Load().Case(name);
        var k = Constants(c);
        double scale = Math.Max(Math.Abs(k.ImbalanceEigenvalues[0]), Math.Abs(k.ImbalanceEigenvalues[^1]));
        var nonzero = k.ImbalanceEigenvalues.Where(v => Math.Abs(v) > 1e-12 * scale).ToArray();
        var expected = c.Constants.D0NonzeroEigenvalues;
        Assert.Equal(expected.Length, nonzero.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(nonzero[i] - expected[i]) <= 1e-12 * scale, $"λ_{i + 1}(D(0)): {nonzero[i]:R} vs {expected[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LemmaA2AndLemmaE3HoldOnTheReferenceData(string name)
    {
        var c = TwoLayerReference.Load().Case(name);
        var k = Constants(c);
        // Lemma A.2 (eq. 29): the Gram route equals the SVD of the explicit operator matrix of the reference.
        TheoryAssert.Relative(c.SigmaMinTSquaredExplicit, k.SigmaMinTSquared, 1e-12, "σ²_min(𝒯₀), eq. 29 vs explicit");
        TheoryAssert.Relative(c.SigmaMaxTSquaredExplicit, k.SigmaMaxTSquared, 1e-12, "σ²_max(𝒯₀), eq. 29 vs explicit");
        // Lemma E.3: α₁ ≤ σ²_min(𝒯₀) ≤ σ²_max(𝒯₀) ≤ α₂.
        Assert.True(k.Alpha1 > 0, $"α₁ = {k.Alpha1}");
        Assert.True(k.Alpha1 <= k.SigmaMinTSquared, $"α₁ = {k.Alpha1} > σ²_min(𝒯₀) = {k.SigmaMinTSquared}");
        Assert.True(k.SigmaMaxTSquared <= k.Alpha2, $"σ²_max(𝒯₀) = {k.SigmaMaxTSquared} > α₂ = {k.Alpha2}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FromGramsAgreesWithFromWeights(string name)
    {
        var c = TwoLayerReference.Load().Case(name);
        var a = Constants(c);
        var (p, q, w0) = Grams(c.W1, c.W2, c.N, c.M, c.H);
        var b = TwoLayerConstants.FromGrams(p, q, w0, c.N, c.M, c.WStar, a.Mu, a.K, a.InitialLoss);
        foreach (var (what, x, y) in new[]
                 {
                     ("λ₊", a.LambdaPlus, b.LambdaPlus), ("λ₋", a.LambdaMinus, b.LambdaMinus), ("λ_n", a.LambdaN, b.LambdaN),
                     ("λ_m(−D)", a.LambdaMNegative, b.LambdaMNegative), ("α₁", a.Alpha1, b.Alpha1), ("α₂", a.Alpha2, b.Alpha2),
                     ("β₁", a.Beta1, b.Beta1), ("β₂", a.Beta2, b.Beta2), ("σ²_min(𝒯₀)", a.SigmaMinTSquared, b.SigmaMinTSquared),
                 })
        {
            TheoryAssert.Relative(x, y, 1e-10, what);
        }
    }

    [Theory]
    [InlineData(4, 3, 9, 1)]   // h > n + m
    [InlineData(4, 3, 7, 2)]   // h = n + m
    [InlineData(4, 3, 5, 3)]   // max(n, m) ≤ h < n + m
    [InlineData(4, 2, 3, 4)]   // h < n: λ_n(D(0)) does not exist, taken as 0
    [InlineData(1, 1, 6, 5)]
    public void ImbalanceMatchesAnExplicitEigendecompositionForAnyWidth(int n, int m, int h, int seed)
    {
        var random = new Random(seed);
        double[] w1 = Gaussian(random, n * h), w2 = Gaussian(random, m * h), wStar = Gaussian(random, n * m);
        var k = TwoLayerConstants.FromWeights(w1, w2, n, m, h, wStar, 1.0, 2.0, 0.5);

        // D(0) = W₁ᵀW₁ − W₂ᵀW₂ as an h×h matrix, diagonalised directly.
        var d0 = new double[h * h];
        for (int a = 0; a < h; a++)
        {
            for (int b = 0; b < h; b++)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += w1[i * h + a] * w1[i * h + b];
                }
                for (int j = 0; j < m; j++)
                {
                    s -= w2[j * h + a] * w2[j * h + b];
                }
                d0[a * h + b] = s;
            }
        }
        double[] ev = SymmetricEigen.Eigenvalues(d0, h);
        double scale = Math.Max(Math.Abs(ev[0]), Math.Abs(ev[^1]));
        double tol = 1e-12 * scale;
        Assert.True(Math.Abs(Math.Max(ev[0], 0) - k.LambdaPlus) <= tol, $"λ₊ {k.LambdaPlus} vs {ev[0]}");
        Assert.True(Math.Abs(Math.Max(-ev[^1], 0) - k.LambdaMinus) <= tol, $"λ₋ {k.LambdaMinus} vs {-ev[^1]}");
        double lambdaN = n <= h ? Math.Max(ev[n - 1], 0) : 0;
        double lambdaM = m <= h ? Math.Max(-ev[h - m], 0) : 0;
        Assert.True(Math.Abs(lambdaN - k.LambdaN) <= tol, $"λ_n {k.LambdaN} vs {lambdaN}");
        Assert.True(Math.Abs(lambdaM - k.LambdaMNegative) <= tol, $"λ_m(−D) {k.LambdaMNegative} vs {lambdaM}");
        // Every non-zero eigenvalue of D(0) appears among ImbalanceEigenvalues.
        foreach (double v in ev.Where(v => Math.Abs(v) > 1e-9 * scale))
        {
            Assert.Contains(k.ImbalanceEigenvalues, w => Math.Abs(w - v) <= tol);
        }
        // α₁ from its definition with these λ's.
        double dp = k.LambdaPlus - lambdaN, dm = k.LambdaMinus - lambdaM, du = lambdaN + lambdaM;
        double alpha1 = 0.5 * (-dp - dm + Math.Sqrt((dp + du) * (dp + du) + 4 * k.Beta1 * k.Beta1) + Math.Sqrt((dm + du) * (dm + du) + 4 * k.Beta1 * k.Beta1));
        Assert.True(Math.Abs(alpha1 - k.Alpha1) <= 1e-11 * scale, $"α₁ {k.Alpha1} vs {alpha1}");
    }

    [Fact]
    public void SquaredLossOnATallXUsesTheExcessLossAndTheLeastSquaresMinimizer()
    {
        const int s = 9, n = 4, m = 3, h = 12;
        var random = new Random(11);
        double[] x = Gaussian(random, s * n), y = Gaussian(random, s * m), w1 = Gaussian(random, n * h), w2 = Gaussian(random, m * h);
        var k = TwoLayerConstants.ForSquaredLoss(x, y, s, w1, w2, n, m, h);

        // W* from the normal equations XᵀX W* = XᵀY, solved by the eigendecomposition of XᵀX (independent of the QR).
        var xtx = new double[n * n];
        Gram.InnerProduct(x, s, n, xtx);
        var eig = SymmetricEigen.Decompose(xtx, n);
        var wStar = new double[n * m];
        for (int j = 0; j < m; j++)
        {
            var xty = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int r = 0; r < s; r++)
                {
                    xty[i] += x[r * n + i] * y[r * m + j];
                }
            }
            for (int a = 0; a < n; a++)
            {
                var v = eig.Vector(a);
                double coef = 0;
                for (int i = 0; i < n; i++)
                {
                    coef += v[i] * xty[i];
                }
                coef /= eig.Values[a];
                for (int i = 0; i < n; i++)
                {
                    wStar[i * m + j] += coef * v[i];
                }
            }
        }
        double Loss(double[] w)
        {
            double sum = 0;
            for (int r = 0; r < s; r++)
            {
                for (int j = 0; j < m; j++)
                {
                    double acc = -y[r * m + j];
                    for (int i = 0; i < n; i++)
                    {
                        acc += x[r * n + i] * w[i * m + j];
                    }
                    sum += acc * acc;
                }
            }
            return 0.5 * sum;
        }
        var (_, _, w0) = Grams(w1, w2, n, m, h);
        double excess = Loss(w0) - Loss(wStar);
        Assert.True(Loss(wStar) > 0.1, "the tall system is inconsistent, ℓ* > 0");
        TheoryAssert.Relative(excess, k.InitialLoss, 1e-10, "L(0) − ℓ*");
        TheoryAssert.Relative(eig.Values[^1], k.Mu, 1e-12, "μ");
        TheoryAssert.Relative(eig.Values[0], k.K, 1e-12, "K");
        double distance = Math.Sqrt(w0.Zip(wStar, (a, b) => (a - b) * (a - b)).Sum());
        TheoryAssert.Relative(distance, k.InitialDistance, 1e-10, "‖W(0) − W*‖");
    }

    [Fact]
    public void InvalidInputsThrowWithClearMessages()
    {
        var random = new Random(3);
        double[] w1 = Gaussian(random, 4 * 8), w2 = Gaussian(random, 3 * 8), ws = Gaussian(random, 12);

        var e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1.AsSpan(1), w2, 4, 3, 8, ws, 1, 1, 1));
        Assert.Contains("W₁(0) must hold n·h = 4·8 = 32 values", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1, w2, 4, 3, 8, ws.AsSpan(2), 1, 1, 1));
        Assert.Contains("W* must hold n·m", e.Message);
        var bad = (double[])w2.Clone();
        bad[5] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1, bad, 4, 3, 8, ws, 1, 1, 1));
        Assert.Contains("non-finite entry NaN at index 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1, w2, 4, 3, 8, ws, 0, 1, 1));
        Assert.Contains("μ-strongly convex", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1, w2, 4, 3, 8, ws, 2, 1, 1));
        Assert.Contains("at least μ", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromWeights(w1, w2, 4, 3, 8, ws, 1, 1, -1e-3));
        Assert.Contains("non-negative", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerConstants.FromWeights(w1, w2, 0, 3, 8, ws, 1, 1, 1));

        var asym = new double[] { 1, 0.5, 0.2, 1 };
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.FromGrams(asym, new double[] { 1 }, new double[] { 0, 0 }, 2, 1, new double[] { 1, 1 }, 1, 1, 1));
        Assert.Contains("symmetric", e.Message);

        // X with dependent columns (μ = 0) and a wide X (s < n).
        double[] x = { 1, 2, 2, 4, 3, 6 }; // 3×2, column 2 = 2·column 1
        double[] y = { 1, 2, 3 };
        double[] v1 = Gaussian(random, 2 * 5), v2 = Gaussian(random, 5);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.ForSquaredLoss(x, y, 3, v1, v2, 2, 1, 5));
        Assert.Contains("rank deficient", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerConstants.ForSquaredLoss(new double[] { 1, 2 }, new double[] { 1 }, 1, v1, v2, 2, 1, 5));
        Assert.Contains("s < n", e.Message);
    }

    internal static (double[] P, double[] Q, double[] W0) Grams(double[] w1, double[] w2, int n, int m, int h)
    {
        var p = new double[n * n];
        var q = new double[m * m];
        var w0 = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int c = 0; c < h; c++)
                {
                    s += w1[i * h + c] * w1[j * h + c];
                }
                p[i * n + j] = s;
            }
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int c = 0; c < h; c++)
                {
                    s += w1[i * h + c] * w2[j * h + c];
                }
                w0[i * m + j] = s;
            }
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int c = 0; c < h; c++)
                {
                    s += w2[i * h + c] * w2[j * h + c];
                }
                q[i * m + j] = s;
            }
        }
        return (p, q, w0);
    }

    internal static double[] Gaussian(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }
        return values;
    }
}
