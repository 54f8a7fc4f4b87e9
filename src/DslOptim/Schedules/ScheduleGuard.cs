using System;
using System.Globalization;

namespace DslOptim;

/// <summary>Argument checks of the <see cref="Schedules"/> factories, with messages that say what is expected.</summary>
internal static class ScheduleGuard
{
    public static void LearningRate(double value, string parameter, string what = "learning rate")
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"The {what} must be finite and non-negative.");
        }
    }

    public static void Positive(double value, string parameter, string what)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"The {what} must be finite and positive.");
        }
    }

    public static void Factor(double value, string parameter, string what)
    {
        // Written so that NaN fails too.
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"The {what} must lie in [0, 1].");
        }
    }

    public static void Floor(double floor, double lr, string parameter)
    {
        if (!(floor >= 0 && floor <= lr))
        {
            throw new ArgumentOutOfRangeException(parameter, floor, string.Create(CultureInfo.InvariantCulture, $"The floor must lie in [0, lr] = [0, {lr:R}]."));
        }
    }

    public static void AtLeast(long value, long minimum, string parameter, string what)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(parameter, value, string.Create(CultureInfo.InvariantCulture, $"{what} must be at least {minimum}."));
        }
    }
}
