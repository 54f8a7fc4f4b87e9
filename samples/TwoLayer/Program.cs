using System;

namespace TwoLayer;

/// <summary>The command line: <c>dotnet run -c Release --project samples/TwoLayer [options]</c>; see <see cref="Options.Usage"/>.</summary>
public static class Program
{
    public static int Main(string[] args) => Experiment.Run(args, Console.Out);
}
