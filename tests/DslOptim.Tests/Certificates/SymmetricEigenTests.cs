using System;
using System.Linq;
using DslOptim.LinearAlgebra;
using Xunit;

namespace DslOptim.Tests.Certificates;

/// <summary>Cyclic Jacobi against matrices whose spectra are known by construction.</summary>
public sealed class SymmetricEigenTests
{
    private const double Relative = 1e-12;

    [Fact]
    public void DiagonalMatrixGivesItsDiagonalInDescendingOrder()
    {
        double[] diagonal = { 2.5, -7.0, 0.0, 11.0, 2.5, 1e-3 };
        var n = diagonal.Length;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] = diagonal[i];
        }

        var decomposition = SymmetricEigen.Decompose(a, n);

        Assert.Equal(new[] { 11.0, 2.5, 2.5, 1e-3, 0.0, -7.0 }, decomposition.Values);
        Assert.Equal(0, decomposition.Sweeps);
        // λ = 11 sits at index 3: its eigenvector is e₃.
        var top = decomposition.Vector(0).ToArray();
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 1.0, 0.0, 0.0 }, top);
    }

    public static TheoryData<double, double, double> TwoByTwo => new()
    {
        { 2.0, 1.0, 2.0 },        // 3 and 1
        { 4.0, 0.0, 1.0 },        // already diagonal
        { -3.0, 2.0, 5.0 },
        { 1.0, 1e-8, 1.0 },       // nearly degenerate: 1 ± 1e-8
        { 1e6, 1.0, 1e-6 },
        { 0.0, 1.0, 0.0 },        // ±1
        { -2.0, -0.5, -2.0 },
    };

    [Theory]
    [MemberData(nameof(TwoByTwo))]
    public void TwoByTwoMatchesTheClosedForm(double a, double b, double c)
    {
        // λ± = (a + c)/2 ± √(((a − c)/2)² + b²); the smaller-magnitude root from det/λ_big to avoid cancellation.
        var mean = 0.5 * (a + c);
        var radius = Math.Sqrt(0.25 * (a - c) * (a - c) + b * b);
        var big = mean >= 0 ? mean + radius : mean - radius;
        var small = big == 0.0 ? mean - radius : (a * c - b * b) / big;
        var expected = new[] { Math.Max(big, small), Math.Min(big, small) };

        var values = SymmetricEigen.Eigenvalues(new[] { a, b, b, c }, 2);

        var norm = Math.Max(Math.Abs(expected[0]), Math.Abs(expected[1]));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) <= Relative * norm,
                $"λ{i}: expected {expected[i]:R}, actual {values[i]:R}");
        }
    }

    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 2, 2 }, { 3, 3 }, { 5, 4 }, { 8, 5 }, { 12, 6 }, { 20, 7 }, { 33, 8 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RotatedSpectrumIsRecovered(int n, int seed)
    {
        var random = new Random(seed);
        var lambda = Enumerable.Range(0, n).Select(_ => 20.0 * random.NextDouble() - 10.0).ToArray();
        var q = TestMatrices.RandomOrthogonal(n, random);
        var a = TestMatrices.WithSpectrum(q, lambda);

        var values = SymmetricEigen.Eigenvalues(a, n);

        var expected = lambda.OrderByDescending(v => v).ToArray();
        var norm = expected.Max(Math.Abs);
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) <= Relative * norm,
                $"n = {n}, λ{i}: expected {expected[i]:R}, actual {values[i]:R}, ‖A‖ = {norm:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EigenpairsSatisfyTheEigenEquationAndAreOrthonormal(int n, int seed)
    {
        var random = new Random(1000 + seed);
        var lambda = Enumerable.Range(0, n).Select(_ => 20.0 * random.NextDouble() - 10.0).ToArray();
        var a = TestMatrices.WithSpectrum(TestMatrices.RandomOrthogonal(n, random), lambda);
        var norm = lambda.Max(Math.Abs);

        var decomposition = SymmetricEigen.Decompose(a, n);

        Assert.Equal(n, decomposition.Size);
        Assert.Equal(n * n, decomposition.Vectors.Length);
        AssertEigenpairs(a, n, decomposition, norm);
    }

    [Fact]
    public void RepeatedEigenvaluesGiveAnOrthonormalBasis()
    {
        var random = new Random(77);
        double[] lambda = { 3.0, 1.0, 3.0, -2.0, 1.0, 3.0 };
        var n = lambda.Length;
        var a = TestMatrices.WithSpectrum(TestMatrices.RandomOrthogonal(n, random), lambda);

        var decomposition = SymmetricEigen.Decompose(a, n);

        var expected = new[] { 3.0, 3.0, 3.0, 1.0, 1.0, -2.0 };
        for (var i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(decomposition.Values[i] - expected[i]) <= Relative * 3.0, $"λ{i} = {decomposition.Values[i]:R}");
        }
        AssertEigenpairs(a, n, decomposition, 3.0);
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    public void ExtremeScalesNeitherOverflowNorUnderflow(double scale)
    {
        var random = new Random(5);
        double[] lambda = { 4.0, -1.5, 0.25, 2.0 };
        var q = TestMatrices.RandomOrthogonal(4, random);
        var a = TestMatrices.WithSpectrum(q, lambda.Select(v => v * scale).ToArray());

        var values = SymmetricEigen.Eigenvalues(a, 4);

        var expected = new[] { 4.0, 2.0, 0.25, -1.5 };
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(values[i] / scale - expected[i]) <= Relative * 4.0, $"λ{i}/scale = {values[i] / scale:R}");
        }
    }

    [Fact]
    public void EigenvaluesAgreeWithDecomposeAndVectorsFollowTheirValues()
    {
        var random = new Random(9);
        var lambda = new[] { 5.0, -4.0, 3.0, 0.5, -0.25 };
        var a = TestMatrices.WithSpectrum(TestMatrices.RandomOrthogonal(5, random), lambda);

        var values = SymmetricEigen.Eigenvalues(a, 5);
        var decomposition = SymmetricEigen.Decompose(a, 5);

        Assert.Equal(values, decomposition.Values);
        for (var k = 0; k < 5; k++)
        {
            // vᵀAv = λ for a unit eigenvector.
            var v = decomposition.Vector(k).ToArray();
            Assert.True(Math.Abs(Rayleigh(a, v) - values[k]) <= Relative * 5.0);
            // Signed so that the largest-magnitude component is positive.
            Assert.True(v[Array.IndexOf(v.Select(Math.Abs).ToArray(), v.Max(Math.Abs))] > 0);
        }
    }

    [Fact]
    public void ZeroAndOneByOneMatrices()
    {
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, SymmetricEigen.Eigenvalues(new double[9], 3));
        Assert.Equal(new[] { -2.5 }, SymmetricEigen.Eigenvalues(new[] { -2.5 }, 1));
        Assert.Empty(SymmetricEigen.Eigenvalues(ReadOnlySpan<double>.Empty, 0));
    }

    [Fact]
    public void AsymmetryWithinToleranceIsAcceptedAndAveraged()
    {
        // Off-diagonal entries 1 ± 1e-13: symmetric within 1e-10·max|a|; the mean, 1, is used: eigenvalues 3 and 1.
        var values = SymmetricEigen.Eigenvalues(new[] { 2.0, 1.0 + 1e-13, 1.0 - 1e-13, 2.0 }, 2);
        Assert.True(Math.Abs(values[0] - 3.0) <= 1e-15 * 3 && Math.Abs(values[1] - 1.0) <= 1e-15 * 3, $"{values[0]:R}, {values[1]:R}");
    }

    [Fact]
    public void InvalidInputThrows()
    {
        var wrongLength = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new double[5], 2));
        Assert.Equal("matrix", wrongLength.ParamName);
        Assert.Contains("n·n = 4", wrongLength.Message, StringComparison.Ordinal);

        var asymmetric = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new[] { 1.0, 2.0, 2.1, 1.0 }, 2));
        Assert.Contains("not symmetric", asymmetric.Message, StringComparison.Ordinal);
        Assert.Contains("A[0,1]", asymmetric.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new[] { 1.0, 2.0, 2.0 + 1e-6, 1.0 }, 2));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new[] { 1.0, double.NaN, double.NaN, 1.0 }, 2));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new[] { double.PositiveInfinity }, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Eigenvalues(new double[1], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Eigenvalues(new double[1], 1, symmetryTolerance: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Eigenvalues(new double[1], 1, convergenceTolerance: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Decompose(new double[4], 2).Vector(2).ToArray());
    }

    private static void AssertEigenpairs(double[] a, int n, SymmetricEigenDecomposition decomposition, double norm)
    {
        for (var k = 0; k < n; k++)
        {
            var v = decomposition.Vector(k).ToArray();
            var lambda = decomposition.Values[k];
            var residual = 0.0;
            for (var i = 0; i < n; i++)
            {
                var av = 0.0;
                for (var j = 0; j < n; j++)
                {
                    av += a[i * n + j] * v[j];
                }
                residual += (av - lambda * v[i]) * (av - lambda * v[i]);
            }
            Assert.True(Math.Sqrt(residual) <= Relative * norm, $"‖Av − λv‖ = {Math.Sqrt(residual):R} for λ{k} = {lambda:R}");
        }

        // Rows of Vectors are the eigenvectors: V·Vᵀ = I.
        var vectors = decomposition.Vectors.ToArray();
        for (var p = 0; p < n; p++)
        {
            for (var q = 0; q < n; q++)
            {
                var dot = 0.0;
                for (var r = 0; r < n; r++)
                {
                    dot += vectors[p * n + r] * vectors[q * n + r];
                }
                Assert.True(Math.Abs(dot - (p == q ? 1.0 : 0.0)) <= 1e-13, $"v{p}·v{q} = {dot:R}");
            }
        }
    }

    private static double Rayleigh(double[] a, double[] v)
    {
        var n = v.Length;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                sum += v[i] * a[i * n + j] * v[j];
            }
        }
        return sum;
    }
}
