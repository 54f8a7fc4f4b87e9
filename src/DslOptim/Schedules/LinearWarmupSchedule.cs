namespace DslOptim;

/// <summary>
/// η_t = lr·(f₀ + (1 − f₀)·(t − 1)/W) while t ≤ W, in the operation order of torch LinearLR's closed form with
/// end_factor 1, and lr from t = W + 1 on.
/// </summary>
internal sealed class LinearWarmupSchedule : LearningRateSchedule
{
    private readonly double _lr;
    private readonly long _warmup;
    private readonly double _start;

    public LinearWarmupSchedule(double lr, long warmup, double start)
    {
        _lr = lr;
        _warmup = warmup;
        _start = start;
    }

    public override double At(long t)
    {
        CheckStep(t);
        long s = t - 1;
        // After the ramp exactly lr: torch's closed form at s = W, lr·(f₀ + (1 − f₀)·W/W), can miss it by an ulp.
        return s >= _warmup ? _lr : _lr * (_start + (1.0 - _start) * s / _warmup);
    }

    public override string ToString()
        => $"LinearWarmup(lr: {ScheduleText.Of(_lr)}, warmupSteps: {ScheduleText.Of(_warmup)}, startFactor: {ScheduleText.Of(_start)})";
}
