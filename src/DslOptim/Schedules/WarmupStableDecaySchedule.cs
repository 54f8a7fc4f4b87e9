namespace DslOptim;

/// <summary>Warmup–stable–decay as <see cref="Schedules.WarmupStableDecay"/> defines it.</summary>
internal sealed class WarmupStableDecaySchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _warmup;
    private readonly long _stableEnd;
    private readonly long _decay;
    private readonly double _floor;

    public WarmupStableDecaySchedule(double lr, long warmup, long stable, long decay, double floor)
    {
        _lr = lr;
        _warmup = warmup;
        _stableEnd = warmup + stable;
        _decay = decay;
        _floor = floor;
    }

    public override double At(long t)
    {
        CheckStep(t);
        if (t <= _warmup)
        {
            // t/W before the product, so that t = W gives lr exactly.
            return _lr * ((double)t / _warmup);
        }
        if (t <= _stableEnd)
        {
            return _lr;
        }
        long remaining = _decay - (t - _stableEnd);
        // (D − u)/D is 0 at u = D: the last decay step is the floor exactly.
        return remaining <= 0 ? _floor : _floor + (_lr - _floor) * ((double)remaining / _decay);
    }

    public override string ToString()
        => $"WarmupStableDecay(lr: {ScheduleText.Of(_lr)}, warmup: {ScheduleText.Of(_warmup)}, stable: {ScheduleText.Of(_stableEnd - _warmup)}, decay: {ScheduleText.Of(_decay)}, floor: {ScheduleText.Of(_floor)})";
}
