using System;
using System.Collections.Generic;

namespace ImplicitBias;

/// <summary>One step of (1), w ← w − η_t ∇K(g): a generated <c>Step</c> method of an optimizer.</summary>
public delegate void StepFunction(Span<double> w, ReadOnlySpan<double> g, long t);

/// <summary>A sampled point of a loss curve.</summary>
public readonly record struct CurvePoint(long Step, double Loss);

/// <summary>What one run produced.</summary>
public sealed class RunResult
{
    public required string Method { get; init; }

    public required double Epsilon { get; init; }

    public required double Eta { get; init; }

    /// <summary>The last iterate (the limit W∞ when <see cref="Converged"/>).</summary>
    public required double[] W { get; init; }

    /// <summary>Steps taken.</summary>
    public required long Steps { get; init; }

    /// <summary>Whether ‖∇L‖ fell below the tolerance before the step cap.</summary>
    public required bool Converged { get; init; }

    public required double InitialGradientNorm { get; init; }

    public required double FinalLoss { get; init; }

    public required double FinalGradientNorm { get; init; }

    /// <summary>The loss at steps 0, 1, …, 100 and then at geometrically spaced steps, and at the last step.</summary>
    public required IReadOnlyList<CurvePoint> LossCurve { get; init; }

    /// <summary>‖W_i − reference‖₂ for i = 0 … Steps when a reference was given; empty otherwise.</summary>
    public required IReadOnlyList<double> Distances { get; init; }
}

/// <summary>
/// Runs an optimizer from W0 until ‖∇L(W)‖₂ ≤ <see cref="RelativeTolerance"/>·‖∇L(W0)‖₂ or the step cap:
/// each step evaluates the gradient (<see cref="LeastSquaresGradient"/>) and calls the generated Step kernel.
/// </summary>
public sealed class Trainer
{
    /// <summary>The stopping tolerance on ‖∇L‖, relative to ‖∇L(W0)‖: near the round-off floor of the gradient.</summary>
    public const double RelativeTolerance = 1e-12;

    private readonly LeastSquaresGradient _gradient;
    private readonly double[] _w0;
    private readonly long _cap;
    private readonly Progress _progress;

    public Trainer(LeastSquaresGradient gradient, double[] w0, long cap, Progress progress)
    {
        _gradient = gradient ?? throw new ArgumentNullException(nameof(gradient));
        _w0 = w0 ?? throw new ArgumentNullException(nameof(w0));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        _cap = cap;
    }

    /// <summary>Runs <paramref name="step"/> from W0.</summary>
    /// <param name="label">The progress line's text.</param>
    /// <param name="method">The method's name in the results.</param>
    /// <param name="epsilon">ε, for the results (NaN when the method has none).</param>
    /// <param name="eta">η, for the results.</param>
    /// <param name="step">The optimizer's generated Step.</param>
    /// <param name="reference">When given, ‖W_i − reference‖₂ is recorded at every step.</param>
    /// <param name="cap">A step cap below the trainer's, or null.</param>
    public RunResult Run(string label, string method, double epsilon, double eta, StepFunction step, double[]? reference = null, long? cap = null)
    {
        var limit = Math.Min(_cap, cap ?? long.MaxValue);
        var w = (double[])_w0.Clone();
        var g = new double[w.Length];
        var curve = new List<CurvePoint>();
        var distances = new List<double>();
        var nextSample = 100.0;

        _progress.Begin(label);
        var evaluation = _gradient.Evaluate(w, g);
        var initialNorm = evaluation.GradientNorm;
        var tolerance = RelativeTolerance * initialNorm;
        long t = 0;
        while (true)
        {
            if (reference is not null)
            {
                distances.Add(Dense.Distance(w, reference));
            }
            if (t <= 100 || t >= nextSample)
            {
                curve.Add(new CurvePoint(t, evaluation.Loss));
                if (t > 100)
                {
                    nextSample = Math.Max(nextSample * 1.02, t + 1);
                }
            }
            if (evaluation.GradientNorm <= tolerance || t >= limit)
            {
                break;
            }
            t++;
            step(w, g, t);
            evaluation = _gradient.Evaluate(w, g);
            if ((t & 1023) == 0)
            {
                if (!double.IsFinite(evaluation.GradientNorm))
                {
                    break;
                }
                _progress.Report(t, evaluation.GradientNorm);
            }
        }
        _progress.End();

        if (curve[^1].Step != t)
        {
            curve.Add(new CurvePoint(t, evaluation.Loss));
        }
        return new RunResult
        {
            Method = method,
            Epsilon = epsilon,
            Eta = eta,
            W = w,
            Steps = t,
            Converged = evaluation.GradientNorm <= tolerance,
            InitialGradientNorm = initialNorm,
            FinalLoss = evaluation.Loss,
            FinalGradientNorm = evaluation.GradientNorm,
            LossCurve = curve,
            Distances = distances,
        };
    }
}
