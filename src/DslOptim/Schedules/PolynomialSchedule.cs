using System;

namespace DslOptim;

/// <summary>
/// η_t = floor + (lr − floor)·(1 − min(T, t − 1)/T)^p; with floor 0 exactly torch PolynomialLR's closed form
/// (0 + x is x).
/// </summary>
internal sealed class PolynomialSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _total;
    private readonly double _power;
    private readonly double _floor;

    public PolynomialSchedule(double lr, long total, double power, double floor)
    {
        _lr = lr;
        _total = total;
        _power = power;
        _floor = floor;
    }

    public override double At(long t)
    {
        CheckStep(t);
        double remaining = 1.0 - (double)Math.Min(_total, t - 1) / _total;
        return _floor + (_lr - _floor) * Math.Pow(remaining, _power);
    }

    public override string ToString()
        => $"Polynomial(lr: {ScheduleText.Of(_lr)}, totalSteps: {ScheduleText.Of(_total)}, power: {ScheduleText.Of(_power)}, floor: {ScheduleText.Of(_floor)})";
}
