using System;
using System.Threading;

namespace DslOptim;

/// <summary>
/// The process-wide thread budget of the steps that do not take a workspace (the elementwise and stateful
/// <c>Step</c> overloads and <c>ParameterSet</c> steps), like <c>torch.set_num_threads</c>.
/// The linear-model steps take theirs from <see cref="LinearWorkspace{T}.Threads"/>.
/// </summary>
/// <remarks>
/// Results never depend on this setting: elementwise updates are independent per element, and every reduction
/// (the norm of an isotropic step, a declared sum) is taken in fixed chunks combined in chunk order, so a step
/// is bitwise the same on 1 thread and on many.
/// </remarks>
public static class Parallelism
{
    private static int s_maxThreads;

    /// <summary>
    /// Threads a step may use, the calling thread included. Setting 0 restores the default,
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public static int MaxThreads
    {
        get
        {
            var value = Volatile.Read(ref s_maxThreads);
            return value == 0 ? Environment.ProcessorCount : value;
        }
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxThreads must be 0 (all processors) or positive but is {value}.");
            }
            Volatile.Write(ref s_maxThreads, value);
        }
    }
}
