using System;
using DslOptim.LinearAlgebra;
using Xunit;

namespace DslOptim.Tests.Certificates;

/// <summary>X·Xᵀ and Xᵀ·X of a row-major X.</summary>
public sealed class GramTests
{
    private static readonly double[] X23 = { 1, 2, 3, 4, 5, 6 };

    [Fact]
    public void OuterProductOfASmallMatrix()
    {
        var result = new double[4];
        Gram.OuterProduct(X23, 2, 3, result);
        // Rows (1, 2, 3) and (4, 5, 6): 1+4+9 = 14, 4+10+18 = 32, 16+25+36 = 77.
        Assert.Equal(new double[] { 14, 32, 32, 77 }, result);
    }

    [Fact]
    public void InnerProductOfASmallMatrix()
    {
        var result = new double[9];
        Gram.InnerProduct(X23, 2, 3, result);
        // Columns (1, 4), (2, 5), (3, 6).
        Assert.Equal(new double[] { 17, 22, 27, 22, 29, 36, 27, 36, 45 }, result);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 9)]
    [InlineData(7, 5)]
    [InlineData(10, 13)]
    public void RandomMatricesMatchTheDefinitionAndAreExactlySymmetric(int n, int d)
    {
        var random = new Random(n * 31 + d);
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = 2.0 * random.NextDouble() - 1.0;
        }

        var outer = new double[n * n];
        var inner = new double[d * d];
        // Stale contents must be overwritten, not accumulated into.
        Array.Fill(inner, 123.0);
        Gram.OuterProduct(x, n, d, outer);
        Gram.InnerProduct(x, n, d, inner);

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var expected = 0.0;
                for (var l = 0; l < d; l++)
                {
                    expected += x[i * d + l] * x[j * d + l];
                }
                Assert.True(Math.Abs(outer[i * n + j] - expected) <= 1e-14 * d, $"XXᵀ[{i},{j}]");
                Assert.Equal(outer[i * n + j], outer[j * n + i]);
            }
        }
        for (var p = 0; p < d; p++)
        {
            for (var q = 0; q < d; q++)
            {
                var expected = 0.0;
                for (var r = 0; r < n; r++)
                {
                    expected += x[r * d + p] * x[r * d + q];
                }
                Assert.True(Math.Abs(inner[p * d + q] - expected) <= 1e-14 * n, $"XᵀX[{p},{q}]");
                Assert.Equal(inner[p * d + q], inner[q * d + p]);
            }
        }
    }

    [Fact]
    public void InvalidShapesThrow()
    {
        var e = Assert.Throws<ArgumentException>(() => Gram.OuterProduct(X23, 3, 3, new double[9]));
        Assert.Equal("x", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gram.OuterProduct(X23, 2, 3, new double[9]));
        Assert.Equal("result", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gram.InnerProduct(X23, 2, 3, new double[4]));
        Assert.Equal("result", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gram.OuterProduct(ReadOnlySpan<double>.Empty, 0, 3, Span<double>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gram.InnerProduct(ReadOnlySpan<double>.Empty, 2, 0, Span<double>.Empty));
    }
}
