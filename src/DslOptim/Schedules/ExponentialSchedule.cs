using System;

namespace DslOptim;

/// <summary>η_t = lr·γ^(t − 1) (torch ExponentialLR's closed form).</summary>
internal sealed class ExponentialSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly double _gamma;

    public ExponentialSchedule(double lr, double gamma)
    {
        _lr = lr;
        _gamma = gamma;
    }

    public override double At(long t)
    {
        CheckStep(t);
        return _lr * Math.Pow(_gamma, t - 1);
    }

    public override string ToString() => $"Exponential(lr: {ScheduleText.Of(_lr)}, gamma: {ScheduleText.Of(_gamma)})";
}
