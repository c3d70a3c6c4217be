"""Sign-in with argon2 passwords, limited attempts, and per-user API tokens."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from agent_console import accounts, offload, ratelimit
from agent_console.access import public, signed_in
from agent_console.auth import bp
from agent_console.auth.forms import LoginForm, TokenForm
from agent_console.database import session
from agent_console.extensions import login_manager
from hotline import audit, users
from hotline.models import User

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load(user_id: str):
    db = session()
    account = accounts.load(db, user_id)
    db.commit()  # end the read at once: SQLite's transactions lock the whole file
    return account


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        name, address = form.username.data.strip(), request.remote_addr or "-"
        if ratelimit.blocked(name, address):
            flash(_("Too many failed attempts. Wait a few minutes and try again."), "error")
            return render_template("auth/login.html", form=form), 429
        db = session()
        user = db.scalar(select(User).where(User.username == name))
        password = form.password.data
        # argon2 on a thread of its own: the process's live pushes go on meanwhile (gevent)
        if user is not None and user.active and offload.call(users.check_password, user, password):
            ratelimit.succeeded(name, address)
            audit.record(db, "user.login", user=user, object_type="user", object_id=user.id)
            db.commit()
            login_user(accounts.Account.of(user))
            return redirect(url_for("index"))
        ratelimit.failed(name, address)
        flash(_("Wrong username or password."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    """Sign out: every session of this user ends, not only this cookie (it could be replayed)."""
    db = session()
    user = db.get(User, current_user.id)
    users.revoke_sessions(db, user, why="logout")
    audit.record(db, "user.logout", user=user, object_type="user", object_id=user.id)
    db.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form, token = TokenForm(), None
    if current_user.can("api.use") and form.validate_on_submit():
        db = session()
        user = db.get(User, current_user.id)
        token = accounts.new_api_token(user)
        audit.record(db, "api_token.issued", user=user, object_type="user", object_id=user.id)
        db.commit()
    return render_template("auth/account.html", form=form, token=token)
