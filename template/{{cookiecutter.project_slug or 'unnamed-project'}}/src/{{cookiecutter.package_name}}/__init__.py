"""{{ cookiecutter.project_name }}.

{{ cookiecutter._presets[cookiecutter.domain].description }}
"""

# Keep in step with `version` in pyproject.toml; `--version` prints this.
__version__ = "0.1.0"
