"""
``python -m allennlp_jmt.check_install``: imports allennlp-models and then this plugin (a name
clash would fail the import), and prints what the plugin registered. Exits non-zero on a problem.
"""
import sys
import warnings


def main() -> int:
    warnings.simplefilter("ignore")  # upstream deprecation noise (pkg_resources, google-api-core)
    from allennlp.common.util import import_module_and_submodules

    import_module_and_submodules("allennlp_models")  # as the allennlp command does
    import_module_and_submodules("allennlp_jmt")
    import allennlp_jmt
    from allennlp_jmt.registrations import plugin_registrations, unprefixed_registrations

    registrations = plugin_registrations()
    print(f"allennlp_jmt {allennlp_jmt.__version__} registers:")
    for base, names in registrations.items():
        print(f"  {base}: {', '.join(names)}")
    bad = unprefixed_registrations()
    if bad:
        print(f"error: registered names without the jmt_ prefix: {bad}", file=sys.stderr)
        return 1
    if "DatasetReader" not in registrations:
        print("error: no dataset reader registered", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
