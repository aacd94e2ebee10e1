"""The interactive app (``countysim app``): try a package, browse the store, explore the model.

A local web app built on Solara, Mesa's visualisation stack, with three pages:

- **Try a package** (``pages.PackagePage``): a county scenario, the notice's five pillars
  switched on and off, every lever; the package runs against its baseline on common seeds in
  the background, through the same runner and store as ``countysim compare``; then the headline
  series with bands, the paired differences, the resource needs and the targets' verdicts; the
  package saved as a scenario file.
- **Results** (``pages.ResultsPage``): the store's experiments, comparisons and sweeps with
  their sensitivity indices, the command line's figures, CSV downloads.
- **Model explorer** (``explorer.ExplorerPage``): ``mesa.visualization.SolaraViz`` over
  ``CountyModel`` on a small county: step, play, reset, the indicator series.

The modules without a user interface (``package``, ``runs``, ``browse``, ``labels``) hold the
rules and are tested directly; ``pages`` and ``explorer`` import Solara.
"""
