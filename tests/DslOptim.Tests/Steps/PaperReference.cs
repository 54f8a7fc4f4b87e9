using System;

namespace DslOptim.Tests.Steps;

/// <summary>
/// Scalar reference loops for one step of W ← W − η_t ∇K(G) (eq. 1 of the dual-space preconditioning
/// paper), each written from the paper's closed form of ∇K, not from the generated code, in double.
/// </summary>
public static class PaperReference
{
    /// <summary>Adam without momentum, eq. (7): ∇K(Z)_ij = z_ij / (ε + |z_ij|).</summary>
    public static void AdamWithoutMomentum(double eps, double eta, ReadOnlySpan<double> w, ReadOnlySpan<double> g, Span<double> result)
    {
        for (var i = 0; i < w.Length; i++)
        {
            result[i] = w[i] - eta * (g[i] / (eps + Math.Abs(g[i])));
        }
    }

    /// <summary>
    /// Normalized GD, K(Z) = ‖Z‖ − ε log(ε + ‖Z‖): ∇K(Z) = (1 − ε/(ε + ‖Z‖)) Z/‖Z‖ = Z / (ε + ‖Z‖).
    /// </summary>
    public static void NormalizedGd(double eps, double eta, ReadOnlySpan<double> w, ReadOnlySpan<double> g, Span<double> result)
    {
        var s = FrobeniusNorm(g);
        for (var i = 0; i < w.Length; i++)
        {
            result[i] = w[i] - eta * (g[i] / (eps + s));
        }
    }

    /// <summary>Gradient clipping: ∇K(Z) = min(1, ε/‖Z‖)·Z, and 0 at Z = 0.</summary>
    public static void Clipping(double eps, double eta, ReadOnlySpan<double> w, ReadOnlySpan<double> g, Span<double> result)
    {
        var s = FrobeniusNorm(g);
        var factor = s == 0.0 ? 0.0 : Math.Min(1.0, eps / s);
        for (var i = 0; i < w.Length; i++)
        {
            result[i] = w[i] - eta * (factor * g[i]);
        }
    }

    /// <summary>The declared map d(g, t) = g / (√(g² + δ²)·(1 − βᵗ)) with η_t = lr/√t.</summary>
    public static void SoftSign(double delta, double lr, double decay, long t, ReadOnlySpan<double> w, ReadOnlySpan<double> g, Span<double> result)
    {
        var eta = lr / Math.Sqrt(t);
        var correction = 1.0 - Math.Pow(decay, t);
        for (var i = 0; i < w.Length; i++)
        {
            result[i] = w[i] - eta * (g[i] / (Math.Sqrt(g[i] * g[i] + delta * delta) * correction));
        }
    }

    /// <summary>‖g‖₂ with a compensated (Neumaier) sum of squares, accurate to a few ulps at any length.</summary>
    public static double FrobeniusNorm(ReadOnlySpan<double> g)
    {
        double sum = 0.0, compensation = 0.0;
        foreach (var x in g)
        {
            var term = x * x;
            var next = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - next) + term : (term - next) + sum;
            sum = next;
        }
        return Math.Sqrt(sum + compensation);
    }
}
