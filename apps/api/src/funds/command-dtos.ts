import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { routeParams, type CommandEntry, type Field } from '@fundsim/domain';
import { IsIsoDate } from '../iso-date';

/** When: every dated command carries it. Who is the authenticated key's principal, never a body field. */
export class CommandDto {
  @ApiProperty({ example: '2026-06-30', description: "The date on which it belongs in the fund's books." })
  @IsIsoDate()
  effectiveDate!: string;
}

/** A command without a date of its own (a correction takes the date of the event it corrects). */
class UndatedCommandDto {}

/** A group of fields inside a body. */
class GroupDto {}

type Dto = new () => object;

/**
 * A command's request body, built from its catalog entry: its data's fields but those its route
 * carries, each validated by the field's grammar, and its effective date when it has one. The
 * class is named `<Command>Dto` in the contract.
 */
export function commandDto(type: string, entry: CommandEntry): Dto {
  const inPath = new Set(routeParams(entry));
  return dtoOf(type, entry.data, entry.dated ? CommandDto : UndatedCommandDto, (name) => !inPath.has(name));
}

function dtoOf(name: string, fields: Readonly<Record<string, Field>>, base: Dto, inBody: (field: string) => boolean = () => true): Dto {
  const dto = class extends base {};
  Object.defineProperty(dto, 'name', { value: `${name}Dto` });
  for (const [key, f] of Object.entries(fields)) if (inBody(key)) decorate(dto.prototype, key, f);
  return dto;
}

function decorate(target: object, key: string, f: Field): void {
  const doc: ApiPropertyOptions = { ...(f.example !== undefined ? { example: f.example } : {}), ...(f.description ? { description: f.description } : {}) };
  const rules: PropertyDecorator[] = f.optional ? [IsOptional()] : [];
  const message = (reason: string | undefined, each = false) => (reason ? { message: `${each ? 'each of ' : ''}${key} ${reason}` } : {});
  switch (f.kind) {
    case 'text':
      if (f.values) Object.assign(doc, { enum: [...f.values] });
      if (f.format === 'date') rules.push(IsIsoDate());
      else if (f.values) rules.push(IsIn([...f.values]));
      else if (f.pattern) rules.push(Matches(f.pattern, message(f.reason)));
      else rules.push(IsString());
      if (f.max !== undefined) rules.push(MaxLength(f.max));
      break;
    case 'int':
      Object.assign(doc, { type: 'integer' });
      rules.push(IsInt());
      break;
    case 'list':
      Object.assign(doc, { type: [String] });
      rules.push(IsArray());
      if (f.nonEmpty) rules.push(ArrayNotEmpty());
      rules.push(f.pattern ? Matches(f.pattern, { each: true, ...message(f.reason, true) }) : IsString({ each: true }));
      break;
    case 'group': {
      const nested = dtoOf(f.name, f.fields, GroupDto);
      Object.assign(doc, { type: nested });
      rules.push(
        ValidateNested(),
        Type(() => nested),
      );
      break;
    }
    case 'object':
      Object.assign(doc, f.schema ?? {});
      rules.push(IsObject());
      break;
  }
  // The property's type as the compiler would emit it for a written DTO (the contract reads it).
  Reflect.defineMetadata('design:type', DESIGN_TYPES[f.kind], target, key);
  for (const decorator of [(f.optional ? ApiPropertyOptional : ApiProperty)(doc), ...rules]) decorator(target, key);
}

const DESIGN_TYPES: Record<Field['kind'], unknown> = { text: String, int: Number, list: Array, group: Object, object: Object };
