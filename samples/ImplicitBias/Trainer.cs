using System;
using System.Collections.Generic;
using DslOptim;

namespace ImplicitBias;

/// <summary>
/// One full step of (1) on the linear model, W ← W − η_t ∇K(∇L(W)): a generated
/// <c>Step(problem, w, workspace, t)</c> method of an optimizer that declares a [Loss]. It returns L(W) and
/// ‖∇L(W)‖_F at the W it started from.
/// </summary>
public delegate LinearStepResult StepFunction(LinearProblem<double> problem, Span<double> w, LinearWorkspace<double> workspace, long t);

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
/// Runs an optimizer from W0 until ‖∇L(W)‖₂ ≤ <see cref="RelativeTolerance"/>·‖∇L(W0)‖₂ or the step cap. Each step is
/// the optimizer's generated full step, which computes ∇L(W) = (1/n) Xᵀ ℓ′(XW − y), L(W) and ‖∇L(W)‖ in one pass
/// over the rows of X and then updates W; the loss curve and the stopping test use the L(W) and ‖∇L(W)‖ it returns.
/// </summary>
/// <remarks>
/// A step reports the loss and gradient norm of the iterate it started from, so the step that finds W_t converged
/// (or W_t at the cap) has already moved on to W_{t+1}. The trainer keeps a copy of the iterate a step starts from
/// (d values, against the step's n·d) and returns to it: a run's W, Steps, FinalLoss and FinalGradientNorm all
/// describe the same iterate W_t, the first that meets the tolerance.
/// </remarks>
public sealed class Trainer
{
    /// <summary>The stopping tolerance on ‖∇L‖, relative to ‖∇L(W0)‖: near the round-off floor of the gradient.</summary>
    public const double RelativeTolerance = 1e-12;

    private readonly LinearProblem<double> _problem;
    private readonly double[] _w0;
    private readonly long _cap;
    private readonly Progress _progress;

    /// <summary>A trainer for the planted problem, from its W0.</summary>
    /// <param name="problem">X, y and W0 (k = 1).</param>
    /// <param name="cap">The step cap of every run.</param>
    /// <param name="progress">Where runs are announced.</param>
    public Trainer(PlantedProblem problem, long cap, Progress progress)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        // The runtime's view of X (n×d) and y (n×1); it wraps the arrays, no copy.
        _problem = new LinearProblem<double>(problem.X, problem.N, problem.D, problem.Y, 1);
        _w0 = problem.W0;
        _cap = cap;
    }

    /// <summary>Runs <paramref name="step"/> from W0.</summary>
    /// <param name="label">The progress line's text.</param>
    /// <param name="method">The method's name in the results.</param>
    /// <param name="epsilon">ε, for the results (NaN when the method has none).</param>
    /// <param name="eta">η, for the results.</param>
    /// <param name="step">The optimizer's generated full step.</param>
    /// <param name="reference">When given, ‖W_i − reference‖₂ is recorded at every step.</param>
    /// <param name="cap">A step cap below the trainer's, or null.</param>
    public RunResult Run(string label, string method, double epsilon, double eta, StepFunction step, double[]? reference = null, long? cap = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        var limit = Math.Min(_cap, cap ?? long.MaxValue);
        var w = (double[])_w0.Clone();
        var start = new double[w.Length];
        var workspace = new LinearWorkspace<double>(_problem);
        var curve = new List<CurvePoint>();
        var distances = new List<double>();
        var nextSample = 100.0;
        var initialNorm = double.NaN;
        var tolerance = double.NaN;

        _progress.Begin(label);
        long t = 0;
        LinearStepResult evaluation;
        while (true)
        {
            // w is W_t. Step t + 1 evaluates L and ∇L at W_t, then moves w to W_{t+1}.
            if (reference is not null)
            {
                distances.Add(Dense.Distance(w, reference));
            }
            w.CopyTo(start, 0);
            evaluation = step(_problem, w, workspace, t + 1);
            if (t == 0)
            {
                initialNorm = evaluation.GradientNorm;
                tolerance = RelativeTolerance * initialNorm;
            }
            if (t <= 100 || t >= nextSample)
            {
                curve.Add(new CurvePoint(t, evaluation.Loss));
                if (t > 100)
                {
                    nextSample = Math.Max(nextSample * 1.02, t + 1);
                }
            }
            if (evaluation.GradientNorm <= tolerance || t >= limit || !double.IsFinite(evaluation.GradientNorm))
            {
                start.CopyTo(w, 0); // back to W_t, the iterate evaluated
                break;
            }
            if (t > 0 && (t & 1023) == 0)
            {
                _progress.Report(t, evaluation.GradientNorm);
            }
            t++;
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
