from setuptools import find_packages, setup

setup(
    name="library-catalog",
    version="1.3.0",
    description="The catalog of a small lending library: a command line and a web API.",
    package_dir={"": "src"},
    packages=find_packages("src", exclude=["tests", "tests.*"]),
    python_requires=">=3.11",
    install_requires=[
        "click>=8.1,<9",
        "SQLAlchemy>=2.0,<2.1",
        "fastapi>=0.110,<1",
        "uvicorn>=0.29,<1",
        "python-multipart>=0.0.9",
        "PyJWT>=2.8,<3",
        "passlib[bcrypt]>=1.7.4,<1.8",
    ],
    entry_points={"console_scripts": ["library=library.cli:main"]},
)
