using System.Globalization;

namespace DslOptim;

/// <summary>Invariant, round-trip text for the schedules' <c>ToString</c>.</summary>
internal static class ScheduleText
{
    public static string Of(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);
}
