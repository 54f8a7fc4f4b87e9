using System;

namespace DslOptim;

/// <summary>
/// η_t = floor + (lr − floor)·(1 + cos(π·s/T))/2 with s = t − 1 &lt; T, in the operation order of torch
/// CosineAnnealingLR's closed form; η_t = floor for s ≥ T (where torch would rise again).
/// </summary>
internal sealed class CosineSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _total;
    private readonly double _floor;

    public CosineSchedule(double lr, long total, double floor)
    {
        _lr = lr;
        _total = total;
        _floor = floor;
    }

    public override double At(long t)
    {
        CheckStep(t);
        long s = t - 1;
        return s >= _total ? _floor : _floor + (_lr - _floor) * (1 + Math.Cos(Math.PI * s / _total)) / 2;
    }

    public override string ToString()
        => $"Cosine(lr: {ScheduleText.Of(_lr)}, totalSteps: {ScheduleText.Of(_total)}, floor: {ScheduleText.Of(_floor)})";
}
