"""The one build step pyproject.toml cannot declare with setuptools: the help pages copied
from docs/ (their only source) into the package as tvaers/_docs, so a wheel carries the user
guide the application serves at /hjaelp. Which files: [tool.tvaers.help-docs] in
pyproject.toml, where everything else about the package is declared too."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def help_docs(root: Path = ROOT) -> dict[str, Path]:
    """Each help file's place in the package (relative to the build folder) -> its source."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)["tool"]["tvaers"]["help-docs"]
    source, target = root / config["source"], Path(config["target"])
    return {target / name: source / name for name in config["files"]}


def copy_help_docs(build_lib: Path, root: Path = ROOT) -> list[Path]:
    """Copy the help files into ``build_lib``; a listed file that is missing fails the build
    rather than shipping a help page without its pages."""
    out = []
    for target, source in help_docs(root).items():
        dest = build_lib / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        out.append(dest)
    return out


class BuildPyWithHelpDocs(build_py):
    def run(self) -> None:
        super().run()
        # An editable install runs from the checkout, whose docs/ the help reads directly.
        if not self.editable_mode:
            copy_help_docs(Path(self.build_lib))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return [*outputs, *(str(Path(self.build_lib) / t) for t in help_docs())]


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPyWithHelpDocs})
