using System;
using Xunit;

namespace DslOptim.Tests.Certificates;

/// <summary>Seeded test matrices with known spectra, built independently of the code under test.</summary>
internal static class TestMatrices
{
    /// <summary>A random orthogonal n×n matrix (row-major): Gram–Schmidt, applied twice, on uniform random columns.</summary>
    public static double[] RandomOrthogonal(int n, Random random)
    {
        var q = new double[n * n];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = 2.0 * random.NextDouble() - 1.0;
        }
        for (var j = 0; j < n; j++)
        {
            for (var pass = 0; pass < 2; pass++)
            {
                for (var p = 0; p < j; p++)
                {
                    var dot = 0.0;
                    for (var r = 0; r < n; r++)
                    {
                        dot += q[r * n + p] * q[r * n + j];
                    }
                    for (var r = 0; r < n; r++)
                    {
                        q[r * n + j] -= dot * q[r * n + p];
                    }
                }
            }
            var norm = 0.0;
            for (var r = 0; r < n; r++)
            {
                norm += q[r * n + j] * q[r * n + j];
            }
            norm = Math.Sqrt(norm);
            Assert.True(norm > 1e-3, "random columns unexpectedly dependent");
            for (var r = 0; r < n; r++)
            {
                q[r * n + j] /= norm;
            }
        }
        // The construction itself is checked, so a failure below is the eigen solver's, not the fixture's.
        Assert.True(OrthogonalityError(q, n) < 1e-14, "fixture: Q is not orthogonal");
        return q;
    }

    /// <summary>max |(QᵀQ − I)_ij| for a row-major n×n Q.</summary>
    public static double OrthogonalityError(double[] q, int n)
    {
        var worst = 0.0;
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                var dot = 0.0;
                for (var r = 0; r < n; r++)
                {
                    dot += q[r * n + a] * q[r * n + b];
                }
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1.0 : 0.0)));
            }
        }
        return worst;
    }

    /// <summary>Q·diag(λ)·Qᵀ, row-major.</summary>
    public static double[] WithSpectrum(double[] q, double[] lambda)
    {
        var n = lambda.Length;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var l = 0; l < n; l++)
                {
                    sum += q[i * n + l] * lambda[l] * q[j * n + l];
                }
                a[i * n + j] = sum;
            }
        }
        return a;
    }

    /// <summary>X = U·Σ·Vᵀ (n×d, row-major) with singular values s (length min(n, d)), U n×n and V d×d orthogonal.</summary>
    public static double[] WithSingularValues(int n, int d, double[] s, Random random)
    {
        Assert.Equal(Math.Min(n, d), s.Length);
        var u = RandomOrthogonal(n, random);
        var v = RandomOrthogonal(d, random);
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var sum = 0.0;
                for (var l = 0; l < s.Length; l++)
                {
                    sum += u[i * n + l] * s[l] * v[j * d + l];
                }
                x[i * d + j] = sum;
            }
        }
        return x;
    }
}
