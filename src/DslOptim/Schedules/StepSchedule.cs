using System;

namespace DslOptim;

/// <summary>η_t = lr·γ^⌊(t − 1)/stepSize⌋ (torch StepLR's closed form).</summary>
internal sealed class StepSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _stepSize;
    private readonly double _gamma;

    public StepSchedule(double lr, long stepSize, double gamma)
    {
        _lr = lr;
        _stepSize = stepSize;
        _gamma = gamma;
    }

    public override double At(long t)
    {
        CheckStep(t);
        return _lr * Math.Pow(_gamma, (t - 1) / _stepSize);
    }

    public override string ToString()
        => $"Step(lr: {ScheduleText.Of(_lr)}, stepSize: {ScheduleText.Of(_stepSize)}, gamma: {ScheduleText.Of(_gamma)})";
}
