using System;
using System.Collections.Generic;

namespace DslOptim.Tests.Derivatives;

/// <summary>
/// One declared formula F with its generated derivatives (double and float overloads) and the first and
/// second derivatives worked out by hand, plus the interval to sample and the points to stay away from.
/// </summary>
public sealed class FormulaCase
{
    /// <summary>Points sampled per formula.</summary>
    public const int PointCount = 20;

    public FormulaCase(
        string name,
        Func<double, double> f,
        Func<double, double> prime,
        Func<double, double> doublePrime,
        Func<float, float> primeSingle,
        Func<float, float> doublePrimeSingle,
        Func<double, double> expectedPrime,
        Func<double, double> expectedDoublePrime,
        double lo,
        double hi,
        double[]? kinks = null,
        double kinkMargin = 0.02)
    {
        Name = name;
        F = f;
        Prime = prime;
        DoublePrime = doublePrime;
        PrimeSingle = primeSingle;
        DoublePrimeSingle = doublePrimeSingle;
        ExpectedPrime = expectedPrime;
        ExpectedDoublePrime = expectedDoublePrime;
        Points = Sample(lo, hi, kinks ?? Array.Empty<double>(), kinkMargin);
    }

    /// <summary>What the formula is, e.g. "pseudo-Huber φ(z) = √(z²+ε²) − ε".</summary>
    public string Name { get; }

    /// <summary>The declared member itself.</summary>
    public Func<double, double> F { get; }

    /// <summary>The generated <c>FPrime(double)</c>.</summary>
    public Func<double, double> Prime { get; }

    /// <summary>The generated <c>FDoublePrime(double)</c>.</summary>
    public Func<double, double> DoublePrime { get; }

    /// <summary>The generated <c>FPrime(float)</c>.</summary>
    public Func<float, float> PrimeSingle { get; }

    /// <summary>The generated <c>FDoublePrime(float)</c>.</summary>
    public Func<float, float> DoublePrimeSingle { get; }

    /// <summary>F′ derived by hand.</summary>
    public Func<double, double> ExpectedPrime { get; }

    /// <summary>F″ derived by hand.</summary>
    public Func<double, double> ExpectedDoublePrime { get; }

    /// <summary>The sample points: <see cref="PointCount"/> points spread over the interval minus the kinks' neighbourhoods.</summary>
    public IReadOnlyList<double> Points { get; }

    public override string ToString() => Name;

    /// <summary>
    /// Spreads <see cref="PointCount"/> points evenly (with an irrational-looking offset, so no point lands on a
    /// round number) over [lo, hi] with (k − margin·max(1,|k|), k + margin·max(1,|k|)) removed for every kink k.
    /// </summary>
    private static double[] Sample(double lo, double hi, double[] kinks, double margin)
    {
        var pieces = new List<(double Lo, double Hi)> { (lo, hi) };
        foreach (var kink in kinks)
        {
            var radius = margin * Math.Max(1.0, Math.Abs(kink));
            var next = new List<(double Lo, double Hi)>();
            foreach (var (a, b) in pieces)
            {
                if (kink + radius <= a || kink - radius >= b)
                {
                    next.Add((a, b));
                    continue;
                }
                if (kink - radius > a)
                {
                    next.Add((a, kink - radius));
                }
                if (kink + radius < b)
                {
                    next.Add((kink + radius, b));
                }
            }
            pieces = next;
        }

        var total = 0.0;
        foreach (var (a, b) in pieces)
        {
            total += b - a;
        }
        var points = new double[PointCount];
        for (var i = 0; i < PointCount; i++)
        {
            var position = total * (i + 0.3719) / PointCount;
            points[i] = double.NaN;
            foreach (var (a, b) in pieces)
            {
                if (position <= b - a)
                {
                    points[i] = a + position;
                    break;
                }
                position -= b - a;
            }
            if (double.IsNaN(points[i]))
            {
                throw new InvalidOperationException($"Could not place sample point {i} in [{lo}, {hi}].");
            }
        }
        return points;
    }
}
