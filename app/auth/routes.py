"""Logging in and out, registering, confirming the email, resetting the password."""

from flask import render_template

from app.auth import bp


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    return render_template("errors/error.html", code=501, title="Log in"), 501


@bp.route("/register", methods=["GET", "POST"])
def register():  # noqa: ANN201
    return render_template("errors/error.html", code=501, title="Register"), 501
