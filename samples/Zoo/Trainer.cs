using System;
using System.Diagnostics;

namespace Zoo;

/// <summary>What one method did in one run.</summary>
/// <param name="FinalLoss">L(w) after the last step.</param>
/// <param name="StepsToTarget">The first t with L(w_t) ≤ the target (0 is the start), or null if no iterate reached it.</param>
/// <param name="StateBytesPerParameter">See <see cref="Method.StateBytesPerParameter"/>.</param>
/// <param name="NanosecondsPerStep">The median over the timed replays of their time per step.</param>
public sealed record Result(Method Method, double FinalLoss, long? StepsToTarget, int StateBytesPerParameter, double NanosecondsPerStep);

/// <summary>Trains a method for a fixed number of steps from its start (w = 0 for all but the constrained ones), then times its steps alone.</summary>
public sealed class Trainer
{
    /// <summary>The timed replays whose median is reported.</summary>
    public const int TimingRepeats = 3;

    private readonly LogisticProblem _problem;
    private readonly int _steps;
    private readonly double _target;
    private readonly double[] _gradients;

    public Trainer(LogisticProblem problem, int steps, double target)
    {
        _problem = problem;
        _steps = steps;
        _target = target;
        _gradients = new double[checked(steps * problem.D)];
    }

    /// <summary>
    /// Runs the method for the fixed number of steps, keeping every gradient; then replays those gradients through a
    /// fresh optimizer <see cref="TimingRepeats"/> times under a stopwatch. A replay retraces the run (the step is
    /// deterministic and sees the same gradients), but computes no gradient, so only <c>Step</c> is timed.
    /// </summary>
    public Result Run(Method method)
    {
        var d = _problem.D;
        var w = method.Start(d);
        var instance = method.Create(d);
        long? reached = null;
        for (var t = 1; t <= _steps; t++)
        {
            var g = _gradients.AsSpan((t - 1) * d, d);
            var loss = _problem.LossAndGradient(w, g); // the loss of w_{t−1}
            if (reached is null && loss <= _target)
            {
                reached = t - 1;
            }
            instance.Step(w, g, t);
        }
        var finalLoss = _problem.Loss(w);
        if (reached is null && finalLoss <= _target)
        {
            reached = _steps;
        }

        var times = new double[TimingRepeats];
        for (var repeat = 0; repeat < TimingRepeats; repeat++)
        {
            times[repeat] = TimeReplay(method);
        }
        Array.Sort(times);
        return new Result(method, finalLoss, reached, method.StateBytesPerParameter(d), times[TimingRepeats / 2]);
    }

    private double TimeReplay(Method method)
    {
        var d = _problem.D;
        var w = method.Start(d);
        var step = method.Create(d).Step;
        ReadOnlySpan<double> gradients = _gradients;
        var start = Stopwatch.GetTimestamp();
        for (var t = 1; t <= _steps; t++)
        {
            step(w, gradients.Slice((t - 1) * d, d), t);
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        return elapsed.TotalNanoseconds / _steps;
    }
}
