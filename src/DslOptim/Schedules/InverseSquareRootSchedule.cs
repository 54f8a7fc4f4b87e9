using System;

namespace DslOptim;

/// <summary>η_t = lr·min(1, √(W/t)).</summary>
internal sealed class InverseSquareRootSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _warmup;

    public InverseSquareRootSchedule(double lr, long warmup)
    {
        _lr = lr;
        _warmup = warmup;
    }

    public override double At(long t)
    {
        CheckStep(t);
        return t <= _warmup ? _lr : _lr * Math.Sqrt((double)_warmup / t);
    }

    public override string ToString() => $"InverseSquareRoot(lr: {ScheduleText.Of(_lr)}, warmupSteps: {ScheduleText.Of(_warmup)})";
}
