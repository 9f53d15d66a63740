namespace EventStore.UnitTests.Architecture;

/// <summary>The cycles of a <see cref="ModuleGraph"/>: its strongly connected components of two modules or more (Tarjan).</summary>
internal static class FolderCycles
{
    /// <summary>Each cycle's modules in name order; the cycles ordered by their first module.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(ModuleGraph graph)
    {
        var tarjan = new Tarjan(graph);
        foreach (var module in graph.Modules)
        {
            if (!tarjan.Visited(module))
            {
                tarjan.Connect(module);
            }
        }

        return [.. tarjan.Components.Where(c => c.Count > 1).Select(c => (IReadOnlyList<string>)[.. c.Order(StringComparer.Ordinal)])
            .OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    /// <summary>Each cycle, then each edge inside it with the files that create it: what to read to break it.</summary>
    public static string Describe(ModuleGraph graph, IReadOnlyList<IReadOnlyList<string>> cycles)
    {
        var text = new System.Text.StringBuilder();
        foreach (var cycle in cycles)
        {
            text.Append("cycle: ").AppendJoin(" <-> ", cycle).AppendLine();
            foreach (var from in cycle)
            {
                foreach (var to in graph.Targets(from).Where(cycle.Contains))
                {
                    text.Append("  ").Append(from).Append(" -> ").Append(to).Append(": ").AppendJoin(", ", graph.Files(from, to)).AppendLine();
                }
            }
        }

        return text.ToString();
    }

    private sealed class Tarjan(ModuleGraph graph)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _low = new(StringComparer.Ordinal);
        private readonly Stack<string> _stack = new();
        private readonly HashSet<string> _onStack = new(StringComparer.Ordinal);

        public List<List<string>> Components { get; } = [];

        public bool Visited(string module) => _index.ContainsKey(module);

        // Recursive: a project has tens of modules, far from any stack limit.
        public void Connect(string module)
        {
            var index = _index.Count;
            _index[module] = index;
            _low[module] = index;
            _stack.Push(module);
            _onStack.Add(module);
            foreach (var target in graph.Targets(module))
            {
                if (!Visited(target))
                {
                    Connect(target);
                    _low[module] = Math.Min(_low[module], _low[target]);
                }
                else if (_onStack.Contains(target))
                {
                    _low[module] = Math.Min(_low[module], _index[target]);
                }
            }

            if (_low[module] == _index[module])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = _stack.Pop();
                    _onStack.Remove(member);
                    component.Add(member);
                }
                while (member != module);
                Components.Add(component);
            }
        }
    }
}
