using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// Triggers that make `mt_events` append-only for everyone, the owner included: UPDATE (other than Marten's archive flag),
/// DELETE and TRUNCATE are refused unless the transaction (or session) sets `eventstore.maintenance` to a reason and runs
/// as the owner. Each change made that way is written to <see cref="AdminSchema.MaintenanceLog"/> (old and new row) and to
/// the server log (a WARNING). The triggers fire ALWAYS, so `session_replication_role = replica` does not skip them.
/// They stop mistakes and scripts; an owner can still drop them (and a superuser anything): that is what the hash chain and
/// its signed checkpoints are for (docs/security.md#the-database-defends-the-log).
/// </summary>
internal static class EventLogGuard
{
    public const string Setting = "eventstore.maintenance";
    public const string Events = StoreSchema.Name + ".mt_events";
    public const string RowTrigger = "events_append_only";
    public const string TruncateTrigger = "events_no_truncate";
    private const string Function = AdminSchema.Name + ".refuse_event_changes";

    private const string Ddl = $$"""
        create table if not exists {{AdminSchema.MaintenanceLog}} (
            id             bigint generated always as identity primary key,
            at             timestamptz not null default clock_timestamp(),
            transaction_id bigint not null default txid_current(),
            login          text not null default session_user,
            acting_role    text not null default current_user,
            client_address inet default inet_client_addr(),
            application    text default current_setting('application_name'),
            reason         text not null,
            operation      text not null,
            table_name     text not null,
            seq_id         bigint,
            old_row        jsonb,
            new_row        jsonb
        );

        create or replace function {{AdminSchema.Name}}.refuse_log_changes() returns trigger language plpgsql as $fn$
        begin
            raise exception '{{AdminSchema.MaintenanceLog}} is append-only' using errcode = 'insufficient_privilege';
        end
        $fn$;

        create or replace function {{Function}}() returns trigger language plpgsql as $fn$
        declare
            reason text := nullif(btrim(coalesce(current_setting('{{Setting}}', true), '')), '');
            owner_role name;
            target text := tg_table_schema || '.' || tg_table_name;
        begin
            -- Marten archiving a stream (mt_archive_stream) flips is_archived and nothing else: the one change allowed.
            -- (Nested: NEW and OLD exist only in row-level triggers, and only the UPDATE branch may read both.)
            if tg_op = 'UPDATE' then
                if (to_jsonb(new) - 'is_archived') = (to_jsonb(old) - 'is_archived') then
                    return new;
                end if;
            end if;

            select r.rolname into owner_role from pg_class c join pg_roles r on r.oid = c.relowner where c.oid = tg_relid;
            if reason is null or lower(reason) = 'off' then
                raise exception '% is append-only: % refused', target, tg_op
                    using errcode = 'insufficient_privilege',
                          hint = format('The owner (%s) may set {{Setting}} to a reason for one transaction: see docs/operations.md#the-maintenance-switch.', owner_role);
            end if;
            if not pg_has_role(current_user, owner_role, 'MEMBER') then
                raise exception '{{Setting}} is honoured for the owner (%) only, not for %', owner_role, current_user
                    using errcode = 'insufficient_privilege';
            end if;

            if tg_level = 'STATEMENT' then
                insert into {{AdminSchema.MaintenanceLog}} (reason, operation, table_name) values (reason, tg_op, target);
                raise warning 'eventstore maintenance: % of % by % (as %): %', tg_op, target, session_user, current_user, reason;
                return null;
            end if;

            if tg_op = 'DELETE' then
                insert into {{AdminSchema.MaintenanceLog}} (reason, operation, table_name, seq_id, old_row)
                    values (reason, tg_op, target, old.seq_id, to_jsonb(old));
                raise warning 'eventstore maintenance: DELETE of % seq_id % by % (as %): %', target, old.seq_id, session_user, current_user, reason;
                return old;
            end if;

            insert into {{AdminSchema.MaintenanceLog}} (reason, operation, table_name, seq_id, old_row, new_row)
                values (reason, tg_op, target, old.seq_id, to_jsonb(old), to_jsonb(new));
            raise warning 'eventstore maintenance: UPDATE of % seq_id % by % (as %): %', target, old.seq_id, session_user, current_user, reason;
            return new;
        end
        $fn$;
        """;

    /// <summary>Creates the log and the functions, then any missing trigger; re-enables a trigger someone disabled.</summary>
    public static async Task InstallAsync(NpgsqlConnection connection, ILogger logger, CancellationToken ct)
    {
        await using (var ddl = new NpgsqlCommand(Ddl, connection))
        {
            await ddl.ExecuteNonQueryAsync(ct);
        }

        await EnsureTriggerAsync(connection, AdminSchema.MaintenanceLog, "maintenance_log_append_only",
            $"before update or delete on {AdminSchema.MaintenanceLog} for each row execute function {AdminSchema.Name}.refuse_log_changes()", logger, ct);
        await EnsureTriggerAsync(connection, AdminSchema.MaintenanceLog, "maintenance_log_no_truncate",
            $"before truncate on {AdminSchema.MaintenanceLog} for each statement execute function {AdminSchema.Name}.refuse_log_changes()", logger, ct);
        await EnsureTriggerAsync(connection, Events, RowTrigger,
            $"before update or delete on {Events} for each row execute function {Function}()", logger, ct);
        await EnsureTriggerAsync(connection, Events, TruncateTrigger,
            $"before truncate on {Events} for each statement execute function {Function}()", logger, ct);
    }

    private static async Task EnsureTriggerAsync(NpgsqlConnection connection, string table, string name, string definition, ILogger logger, CancellationToken ct)
    {
        await using var state = new NpgsqlCommand(
            "select tgenabled from pg_trigger where tgrelid = @table::regclass and tgname = @name and not tgisinternal", connection);
        state.Parameters.AddWithValue("table", table);
        state.Parameters.AddWithValue("name", name);
        var enabled = await state.ExecuteScalarAsync(ct) as char?;
        if (enabled is null)
        {
            await ExecuteAsync(connection, $"create trigger {name} {definition}; alter table {table} enable always trigger {name}", ct);
        }
        else if (enabled != 'A')
        {
            logger.LogWarning("The trigger {Trigger} on {Table} was disabled or not set to fire always; enabling it again", name, table);
            await ExecuteAsync(connection, $"alter table {table} enable always trigger {name}", ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
