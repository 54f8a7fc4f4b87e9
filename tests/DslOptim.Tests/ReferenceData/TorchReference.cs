using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DslOptim.Tests.ReferenceData;

/// <summary>
/// The committed outputs of <c>reference/torch_reference.py</c> (torch.optim in float64), read so that CI needs no
/// Python. The files live in the repository's <c>reference/</c> folder, the single source of truth; the test project
/// copies them at build time to <c>ReferenceData/</c> next to the test assembly (an ItemGroup in
/// DslOptim.Tests.csproj), which is where this loader reads them. Regenerate with
/// <c>/usr/bin/python3 reference/torch_reference.py</c> (see reference/README.md).
/// </summary>
public sealed class TorchReference
{
    private static readonly Lazy<TorchReference> Instance = new(Read);
    private static readonly Lazy<IReadOnlyDictionary<string, double[]>> ScheduleValues = new(ReadSchedules);

    private TorchReference(ReferenceProblem problem, IReadOnlyList<int> recordedSteps, IReadOnlyDictionary<string, OptimizerRun> optimizers, string torchVersion)
    {
        Problem = problem;
        RecordedSteps = recordedSteps;
        Optimizers = optimizers;
        TorchVersion = torchVersion;
    }

    /// <summary>Where the copied reference files are: <c>ReferenceData/</c> in the test assembly's directory.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "ReferenceData");

    /// <summary>The least-squares problem of problem.json.</summary>
    public ReferenceProblem Problem { get; }

    /// <summary>The steps kept in optimizers.csv: 0 (= w0), every step to 20, then every 10th to 200.</summary>
    public IReadOnlyList<int> RecordedSteps { get; }

    /// <summary>Every optimizer configuration, by its name in optimizers.csv (for example <c>"adam_amsgrad"</c>).</summary>
    public IReadOnlyDictionary<string, OptimizerRun> Optimizers { get; }

    /// <summary>torch.__version__ of the run that wrote the files.</summary>
    public string TorchVersion { get; }

    /// <summary>problem.json and optimizers.csv, parsed once per test run.</summary>
    public static TorchReference Load() => Instance.Value;

    /// <summary>
    /// schedules.csv: configuration name → the learning rate of optimizer steps t = 1 … 1000 at index t − 1 (torch's
    /// value after t − 1 calls of <c>scheduler.step()</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> LoadSchedules() => ScheduleValues.Value;

    private static string PathOf(string file)
    {
        string path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{file} was not copied next to the tests; it comes from reference/{file} through DslOptim.Tests.csproj.", path);
        }
        return path;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> Rows(string file, string header)
    {
        using var reader = new StreamReader(PathOf(file));
        string? first = reader.ReadLine();
        if (first != header)
        {
            throw new InvalidDataException($"{file}: expected the header '{header}', found '{first}'.");
        }
        int columns = header.Split(',').Length;
        string? line;
        int number = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            string[] cells = line.Split(',');
            if (cells.Length != columns)
            {
                throw new InvalidDataException($"{file}:{number}: expected {columns} cells, found {cells.Length}.");
            }
            yield return cells;
        }
    }

    private static IReadOnlyDictionary<string, double[]> ReadSchedules()
    {
        var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (string[] cells in Rows("schedules.csv", "schedule,step,lr"))
        {
            if (!values.TryGetValue(cells[0], out var list))
            {
                values[cells[0]] = list = new List<double>();
            }
            int step = int.Parse(cells[1], CultureInfo.InvariantCulture);
            if (step != list.Count + 1)
            {
                throw new InvalidDataException($"schedules.csv: {cells[0]} has step {step} where {list.Count + 1} was expected.");
            }
            list.Add(Number(cells[2]));
        }
        return values.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static TorchReference Read()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PathOf("problem.json")));
        JsonElement root = json.RootElement;
        int n = root.GetProperty("n").GetInt32();
        int d = root.GetProperty("d").GetInt32();
        double[] a = root.GetProperty("A").EnumerateArray().SelectMany(row => Doubles(row, d)).ToArray();
        if (a.Length != n * d)
        {
            throw new InvalidDataException($"problem.json: A has {a.Length} entries, n·d = {n * d}.");
        }
        var problem = new ReferenceProblem(n, d, a, Doubles(root.GetProperty("b"), n), Doubles(root.GetProperty("w0"), d),
            root.GetProperty("initial_loss").GetDouble());
        int[] recorded = root.GetProperty("recorded_steps").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var weights = new Dictionary<string, Dictionary<int, double[]>>(StringComparer.Ordinal);
        foreach (string[] cells in Rows("optimizers.csv", "optimizer,step,index,w"))
        {
            if (!weights.TryGetValue(cells[0], out var byStep))
            {
                weights[cells[0]] = byStep = new Dictionary<int, double[]>();
            }
            int step = int.Parse(cells[1], CultureInfo.InvariantCulture);
            int index = int.Parse(cells[2], CultureInfo.InvariantCulture);
            if (!byStep.TryGetValue(step, out var w))
            {
                byStep[step] = w = Enumerable.Repeat(double.NaN, d).ToArray();
            }
            w[index] = Number(cells[3]);
        }

        var runs = new Dictionary<string, OptimizerRun>(StringComparer.Ordinal);
        foreach (JsonElement config in root.GetProperty("optimizers").EnumerateArray())
        {
            string name = config.GetProperty("name").GetString()!;
            if (!weights.TryGetValue(name, out var byStep))
            {
                throw new InvalidDataException($"optimizers.csv has no rows for {name}, which problem.json lists.");
            }
            var hyper = config.GetProperty("resolved").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            JsonElement scheduler = config.GetProperty("scheduler");
            runs[name] = new OptimizerRun(
                name,
                config.GetProperty("torch").GetString()!,
                hyper,
                scheduler.ValueKind == JsonValueKind.Null ? null : scheduler.GetString(),
                config.GetProperty("final_loss").GetDouble(),
                byStep);
        }
        foreach (string name in weights.Keys.Where(k => !runs.ContainsKey(k)))
        {
            throw new InvalidDataException($"optimizers.csv has rows for {name}, which problem.json does not list.");
        }
        return new TorchReference(problem, recorded, runs, root.GetProperty("torch_version").GetString()!);
    }

    private static double[] Doubles(JsonElement array, int expected)
    {
        double[] values = array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        if (values.Length != expected)
        {
            throw new InvalidDataException($"problem.json: expected {expected} numbers, found {values.Length}.");
        }
        return values;
    }
}

/// <summary>
/// L(w) = ‖A w − b‖² / (2n), w ∈ ℝ^d, with A (n×d, row-major), b and w0 exactly as problem.json holds them.
/// </summary>
/// <param name="N">n, the rows of A.</param>
/// <param name="D">d, the weights.</param>
/// <param name="A">A, row-major: A[i·d + j].</param>
/// <param name="B">b, length n.</param>
/// <param name="W0">The start, length d.</param>
/// <param name="InitialLoss">L(w0) as the script computed it.</param>
public sealed record ReferenceProblem(int N, int D, double[] A, double[] B, double[] W0, double InitialLoss)
{
    /// <summary>
    /// g = Aᵀ(A w − b)/n in the script's exact arithmetic (problem.json, "gradient"): left-to-right sums from 0.0, no
    /// fused multiply-add, so the result is bitwise the gradient torch was given.
    /// </summary>
    public void Gradient(ReadOnlySpan<double> w, Span<double> g)
    {
        Span<double> r = N <= 256 ? stackalloc double[N] : new double[N];
        Residual(w, r);
        for (int j = 0; j < D; j++)
        {
            double s = 0.0;
            for (int i = 0; i < N; i++)
            {
                s += A[i * D + j] * r[i];
            }
            g[j] = s / N;
        }
    }

    /// <summary>L(w) = Σ (A w − b)_i² / (2n), summed as the script sums it.</summary>
    public double Loss(ReadOnlySpan<double> w)
    {
        Span<double> r = N <= 256 ? stackalloc double[N] : new double[N];
        Residual(w, r);
        double total = 0.0;
        for (int i = 0; i < N; i++)
        {
            total += r[i] * r[i];
        }
        return total / (2 * N);
    }

    private void Residual(ReadOnlySpan<double> w, Span<double> r)
    {
        for (int i = 0; i < N; i++)
        {
            double s = 0.0;
            for (int j = 0; j < D; j++)
            {
                s += A[i * D + j] * w[j];
            }
            r[i] = s - B[i];
        }
    }
}

/// <summary>One torch.optim configuration and its recorded trajectory.</summary>
public sealed class OptimizerRun
{
    private readonly IReadOnlyDictionary<int, double[]> _weights;

    internal OptimizerRun(string name, string torchClass, IReadOnlyDictionary<string, JsonElement> hyperparameters, string? scheduler, double finalLoss, IReadOnlyDictionary<int, double[]> weights)
    {
        Name = name;
        TorchClass = torchClass;
        Hyperparameters = hyperparameters;
        Scheduler = scheduler;
        FinalLoss = finalLoss;
        _weights = weights;
    }

    /// <summary>The configuration's name, e.g. <c>"sgd_nesterov_wd"</c>.</summary>
    public string Name { get; }

    /// <summary>The torch class, e.g. <c>"torch.optim.RMSprop"</c>.</summary>
    public string TorchClass { get; }

    /// <summary>Every hyperparameter the optimizer ran with (torch's defaults included), as problem.json's "resolved".</summary>
    public IReadOnlyDictionary<string, JsonElement> Hyperparameters { get; }

    /// <summary>The lr_scheduler used with it (torch notation), or null for a constant lr.</summary>
    public string? Scheduler { get; }

    /// <summary>L(w) after the last step, as the script computed it.</summary>
    public double FinalLoss { get; }

    /// <summary>The recorded steps, ascending.</summary>
    public IEnumerable<int> Steps => _weights.Keys.Order();

    /// <summary>A numeric hyperparameter, e.g. <c>Number("lr")</c>, <c>Number("momentum")</c>.</summary>
    public double Number(string name) => Hyperparameters[name].GetDouble();

    /// <summary>A boolean hyperparameter, e.g. <c>Flag("nesterov")</c>, <c>Flag("amsgrad")</c>, <c>Flag("centered")</c>.</summary>
    public bool Flag(string name) => Hyperparameters[name].GetBoolean();

    /// <summary>(β1, β2) of the Adam family.</summary>
    public (double Beta1, double Beta2) Betas
    {
        get
        {
            JsonElement betas = Hyperparameters["betas"];
            return (betas[0].GetDouble(), betas[1].GetDouble());
        }
    }

    /// <summary>w after <paramref name="step"/> optimizer steps (0 = w0); <paramref name="step"/> must be a recorded step.</summary>
    public ReadOnlySpan<double> Weights(int step)
        => _weights.TryGetValue(step, out var w)
            ? w
            : throw new ArgumentOutOfRangeException(nameof(step), step, $"Step {step} of {Name} is not recorded; see TorchReference.RecordedSteps.");
}
